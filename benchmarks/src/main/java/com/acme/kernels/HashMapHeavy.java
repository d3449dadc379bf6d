package com.acme.kernels;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** Fills and reads a HashMap with boxed keys. */
public final class HashMapHeavy implements LongSupplier {
    private final int entries;

    public HashMapHeavy(int entries) {
        this.entries = entries;
    }

    @Override
    public long getAsLong() {
        Map<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            map.put(i, i * 2);
        }
        long sum = 0;
        for (int i = 0; i < entries; i++) {
            sum += map.get(i);
        }
        return sum;
    }
}
