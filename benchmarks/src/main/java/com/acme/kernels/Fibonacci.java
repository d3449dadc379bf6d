package com.acme.kernels;

import java.util.function.LongSupplier;

/** Naive recursion: a method-entry kill point per call, and no loop. */
public final class Fibonacci implements LongSupplier {
    private final int n;

    public Fibonacci(int n) {
        this.n = n;
    }

    @Override
    public long getAsLong() {
        return fib(n);
    }

    static int fib(int k) {
        return k < 2 ? k : fib(k - 1) + fib(k - 2);
    }
}
