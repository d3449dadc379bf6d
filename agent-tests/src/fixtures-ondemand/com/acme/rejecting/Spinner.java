package com.acme.rejecting;

/** A loop in a class the other agent will not let be retransformed. */
public final class Spinner {
    public static volatile long progress;

    private Spinner() {
    }

    public static long spin(long n) {
        try {
            for (;;) {
                step();
            }
        } finally {
            System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName() + "\tin=spin");
            System.out.flush();
        }
    }

    static void step() {
        progress++;
    }
}
