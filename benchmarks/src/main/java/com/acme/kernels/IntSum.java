package com.acme.kernels;

import java.util.function.LongSupplier;

/** Sum of an int array: the loop C2 unrolls and vectorises. */
public final class IntSum implements LongSupplier {
    private final int[] data;

    public IntSum(int size) {
        data = new int[size];
        for (int i = 0; i < size; i++) {
            data[i] = (i * 31) ^ (i >>> 3);
        }
    }

    @Override
    public long getAsLong() {
        int sum = 0;
        for (int i = 0; i < data.length; i++) {
            sum += data[i];
        }
        return sum;
    }
}
