package com.acme.legacy;

/**
 * A hand-written backtracking parser for nested groups. On an unclosed input it retries every way of
 * splitting it, so the recursion never finishes: exponential time, not deep stacks.
 */
public final class ExpressionParser {
    /** Parse attempts so far. */
    public static volatile long attempts;
    /** Scratch buffers in use; the pool must get each one back. */
    public static volatile int buffersInUse;

    private final String input;

    public ExpressionParser(String input) {
        this.input = input;
    }

    public boolean parse() {
        buffersInUse++;
        try {
            return group(0, input.length());
        } finally {
            buffersInUse--; // give the scratch buffer back to the pool
        }
    }

    /** group := '(' group ')' | group group | 'x' */
    private boolean group(int from, int to) {
        attempts++;
        if (to - from == 1) {
            return input.charAt(from) == 'x';
        }
        if (input.charAt(from) == '(' && input.charAt(to - 1) == ')' && group(from + 1, to - 1)) {
            return true;
        }
        for (int split = from + 1; split < to; split++) {
            if (group(from, split) && group(split, to)) {
                return true;
            }
        }
        return false;
    }
}
