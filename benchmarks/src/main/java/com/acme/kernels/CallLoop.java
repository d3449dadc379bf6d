package com.acme.kernels;

import java.util.function.LongSupplier;

/** A loop with a call per iteration that the JIT is told not to inline (see the benchmark's fork options). */
public final class CallLoop implements LongSupplier {
    private final int iterations;

    public CallLoop(int iterations) {
        this.iterations = iterations;
    }

    @Override
    public long getAsLong() {
        int acc = 0;
        for (int i = 0; i < iterations; i++) {
            acc = step(acc, i);
        }
        return acc;
    }

    static int step(int acc, int i) {
        return (acc ^ i) * 31 + 7;
    }
}
