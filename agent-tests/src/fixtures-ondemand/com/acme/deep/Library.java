package com.acme.deep;

/** Not selected (the tests include {@link Deep} alone): a library call that recurses deep and works at the bottom. */
public final class Library {
    private static volatile long sink;

    private Library() {
    }

    static long recurse(int depth) {
        if (depth > 0) {
            return recurse(depth - 1) + 1;
        }
        long end = System.nanoTime() + 2_000_000; // 2 ms at the bottom: most samples find the thread there
        long n = 0;
        while (System.nanoTime() < end) {
            n++;
        }
        sink = n;
        return 0;
    }
}
