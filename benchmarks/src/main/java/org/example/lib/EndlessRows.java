package org.example.lib;

import java.util.Iterator;

/**
 * A library nobody selected, for the on-demand latency probe: a counting utility over an endless iterator,
 * shaped as commons-collections' {@code IteratorUtils.size} over a {@code LoopingIterator}.
 */
public final class EndlessRows {
    public static volatile long seen;

    private EndlessRows() {
    }

    public static long count(Iterator<?> rows) {
        long n = 0;
        while (rows.hasNext()) {
            rows.next();
            n++;
            if ((n & 0xFFFF) == 0) {
                seen = n;
            }
        }
        return n;
    }

    /** Loops over {@code items} for ever. */
    public static Iterator<Integer> cycle(int... items) {
        return new Cycle(items);
    }

    private static final class Cycle implements Iterator<Integer> {
        private final int[] items;
        private int next;

        Cycle(int[] items) {
            this.items = items;
        }

        @Override
        public boolean hasNext() {
            return items.length > 0;
        }

        @Override
        public Integer next() {
            int i = next;
            next = i + 1 == items.length ? 0 : i + 1;
            return items[i];
        }
    }
}
