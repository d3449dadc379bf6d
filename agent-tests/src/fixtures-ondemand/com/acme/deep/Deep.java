package com.acme.deep;

/** Selected code with deep stacks: ten thousand frames of its own, or its loop under thousands of a library's. */
public final class Deep {
    static final int DEPTH = 10_000;
    static volatile long spins;
    static int unwound;

    private Deep() {
    }

    /** Recurses {@value #DEPTH} frames deep, each with a finally block, then spins at the bottom. */
    public static void deepThenSpin() {
        try {
            down(DEPTH);
        } finally {
            System.out.println("@@ UNWOUND\tname=" + Thread.currentThread().getName() + "\tvalue=" + unwound);
            System.out.flush();
        }
    }

    /** The same, five times as deep: a look at this stack takes longer than the deliverer waits before it reads it. */
    public static void deeperThenSpin() {
        try {
            down(5 * DEPTH);
        } finally {
            System.out.println("@@ UNWOUND\tname=" + Thread.currentThread().getName() + "\tvalue=" + unwound);
            System.out.flush();
        }
    }

    private static long down(int depth) {
        try {
            if (depth > 0) {
                return down(depth - 1) + 1;
            }
            System.out.println("@@ DEEP\tname=" + Thread.currentThread().getName());
            System.out.flush();
            while (true) {
                spins++;
            }
        } finally {
            unwound++;
        }
    }

    /** A selected loop that calls, again and again, a library that recurses 3,000 frames deep and works at the bottom. */
    public static void loopOverDeepLibrary() {
        try {
            System.out.println("@@ RECURSING\tname=" + Thread.currentThread().getName());
            System.out.flush();
            while (true) {
                spins += Library.recurse(3_000);
            }
        } finally {
            System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName());
            System.out.flush();
        }
    }
}
