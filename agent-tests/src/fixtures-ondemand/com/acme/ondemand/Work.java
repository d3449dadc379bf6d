package com.acme.ondemand;

import org.apache.commons.collections4.IteratorUtils;
import org.apache.commons.collections4.iterators.LoopingIterator;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Runaway work whose loops run in code nobody selected: a published library's and the JDK's regular
 * expressions. Each reports, from its {@code finally}, that its cleanup ran.
 */
public final class Work {
    /** Shared by every thread: a kill half-way through one match must leave it usable by the others. */
    static final Pattern SHARED = Pattern.compile("^(a+)+\\1$");
    public static volatile long progress;

    private Work() {
    }

    /** Counts the elements of an endless iterator with the library's utility: the loop is the library's. */
    public static long endlessIterator(long n) {
        try {
            return IteratorUtils.size(new LoopingIterator<>(Arrays.asList(1, 2, 3)));
        } finally {
            cleaned("endlessIterator");
        }
    }

    /**
     * A back-reference defeats the JDK's memoisation of nested quantifiers: each further 'a' doubles the time,
     * and all of it is spent in {@code java.util.regex}.
     */
    public static long regexCatastrophe(long n) {
        try {
            StringBuilder input = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                input.append('a');
            }
            return SHARED.matcher(input.append('!')).matches() ? 1 : 0;
        } finally {
            cleaned("regexCatastrophe");
        }
    }

    /** The shared pattern on an input it matches quickly: "aa" twice. */
    public static long regexCheck(long n) {
        boolean ok = SHARED.matcher("aaaa").matches() && !SHARED.matcher("aaa!").matches();
        System.out.println("@@ REGEX\tname=" + Thread.currentThread().getName() + "\tok=" + ok);
        System.out.flush();
        return ok ? 1 : 0;
    }

    /** A loop that calls nothing: instrumented while it runs, its frame keeps its old code for ever. */
    public static long callsNothing(long n) {
        long i = 0;
        while (n < 0 || i < n) {
            i++;
            progress = i;
        }
        return i;
    }

    private static void cleaned(String what) {
        System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName() + "\tin=" + what);
        System.out.flush();
    }
}
