package com.acme.kernels;

import java.util.function.LongSupplier;

/** Builds a string in a loop: allocation and JDK calls inside a selected loop. */
public final class StringBuilding implements LongSupplier {
    private final int items;

    public StringBuilding(int items) {
        this.items = items;
    }

    @Override
    public long getAsLong() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items; i++) {
            sb.append("item-").append(i).append(',');
        }
        return sb.length();
    }
}
