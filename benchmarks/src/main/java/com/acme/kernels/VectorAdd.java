package com.acme.kernels;

import java.util.function.LongSupplier;

/** c[i] = a[i] + b[i]: the canonical auto-vectorised loop. */
public final class VectorAdd implements LongSupplier {
    private final int[] a;
    private final int[] b;
    private final int[] c;

    public VectorAdd(int size) {
        a = new int[size];
        b = new int[size];
        c = new int[size];
        for (int i = 0; i < size; i++) {
            a[i] = i;
            b[i] = size - i;
        }
    }

    @Override
    public long getAsLong() {
        for (int i = 0; i < c.length; i++) {
            c[i] = a[i] + b[i];
        }
        return c[c.length / 2];
    }
}
