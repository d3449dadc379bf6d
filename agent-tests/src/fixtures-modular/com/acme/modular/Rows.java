package com.acme.modular;

import java.util.Iterator;

/** A loop in a named module that nobody selected: counts an endless iterator of its own. */
public final class Rows {
    public static volatile long seen;

    private Rows() {
    }

    public static long countForever(long n) {
        try {
            return count(new Cycle());
        } finally {
            System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName() + "\tin=" + Rows.class.getModule().getName());
            System.out.flush();
        }
    }

    static long count(Iterator<Integer> rows) {
        long n = 0;
        while (rows.hasNext()) {
            rows.next();
            n++;
            seen = n;
        }
        return n;
    }

    static final class Cycle implements Iterator<Integer> {
        private int next;

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Integer next() {
            next = (next + 1) % 3;
            return next;
        }
    }
}
