package com.acme.kernels;

import java.util.function.LongSupplier;

/**
 * Loops whose back-edge is a conditional jump, as javac compiles {@code do/while} and a loop left from
 * its middle ({@code for (;;) { ... if (x) break; }}), and as Kotlin and Scala compile most loops: the kill
 * point before such a jump takes a copy of its operands and acts only when the jump goes back.
 */
public final class ConditionalLoops implements LongSupplier {
    private final int[] data;

    public ConditionalLoops(int size) {
        data = new int[size];
        for (int i = 0; i < size; i++) {
            data[i] = (i * 17) ^ (i >>> 2);
        }
    }

    @Override
    public long getAsLong() {
        long sum = 0;
        int i = 0;
        do {
            sum += data[i];
            i++;
        } while (i < data.length);
        int j = 0;
        for (;;) { // left from the middle: the back-edge is the jump taken when data[j] is not negative
            if (data[j] < 0 || ++j == data.length) {
                break;
            }
        }
        return sum + j;
    }
}
