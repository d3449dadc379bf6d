package com.acme.kernels;

/**
 * Code that runs until it is killed, for the latency and storm measurements. Each run counts its
 * iterations in a {@link Progress}, whose {@code stop} flag lets the storm's baseline end it cooperatively.
 */
public final class Spinners {
    private static final int[] DATA = new int[4096];

    private Spinners() {
    }

    /** Iterations of one running loop, and a flag to stop it without a kill. */
    public static final class Progress {
        public volatile long count;
        public volatile boolean stop;
    }

    /** A hot loop around a counted inner loop that C2 compiles tight. */
    public static long hotLoop(Progress p) {
        long total = 0;
        while (!p.stop) {
            total += sum(DATA);
            p.count++;
        }
        return total;
    }

    /** The same shape as {@link #hotLoop}, under another name: a victim that shares no method with a bystander. */
    public static long otherHotLoop(Progress p) {
        long total = 0;
        while (!p.stop) {
            total += sum2(DATA);
            p.count++;
        }
        return total;
    }

    static int sum(int[] a) {
        int s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i];
        }
        return s;
    }

    static int sum2(int[] a) {
        int s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] ^ i;
        }
        return s;
    }

    /** Recurses {@code depth} frames deep, then runs {@link #hotLoop} at the bottom: a deep stack, as unbounded recursion or a script engine leaves. */
    public static long deep(Progress p, int depth) {
        if (depth > 0) {
            return deep(p, depth - 1) + 1;
        }
        return hotLoop(p);
    }

    /** Exponential recursion: only method-entry kill points can stop it. */
    public static long recursion(Progress p) {
        long total = 0;
        while (!p.stop) {
            total += fib(24);
            p.count++;
        }
        return total;
    }

    static int fib(int k) {
        return k < 2 ? k : fib(k - 1) + fib(k - 2);
    }

    /** One counted loop of 2^31-1 iterations: without safepoint polls in counted loops, a kill waits for its end. */
    public static long longCountedLoop(Progress p) {
        long total = 0;
        while (!p.stop) {
            p.count++;
            int s = 0;
            for (int i = 0; i < Integer.MAX_VALUE; i++) {
                s += DATA[i & 4095];
            }
            total += s;
        }
        return total;
    }
}
