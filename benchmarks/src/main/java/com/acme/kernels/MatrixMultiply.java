package com.acme.kernels;

import java.util.function.LongSupplier;

/** Dense double matrix multiply, i-k-j order. */
public final class MatrixMultiply implements LongSupplier {
    private final int n;
    private final double[] a;
    private final double[] b;
    private final double[] c;

    public MatrixMultiply(int n) {
        this.n = n;
        a = new double[n * n];
        b = new double[n * n];
        c = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = (i % 17) * 0.5;
            b[i] = (i % 13) * 0.25;
        }
    }

    @Override
    public long getAsLong() {
        for (int i = 0; i < n; i++) {
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] = 0.0;
            }
            for (int k = 0; k < n; k++) {
                double aik = a[ci + k];
                int bk = k * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aik * b[bk + j];
                }
            }
        }
        return (long) c[n + 7];
    }
}
