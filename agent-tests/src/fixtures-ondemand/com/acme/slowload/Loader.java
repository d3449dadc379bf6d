package com.acme.slowload;

/** Loads {@link Lazy}, slowly (another agent works on it meanwhile), then spins. */
public final class Loader {
    static volatile long spins;

    private Loader() {
    }

    public static void loadThenSpin() {
        try {
            System.out.println("@@ LOADED\tname=" + Thread.currentThread().getName() + "\tvalue=" + Lazy.touch());
            System.out.flush();
            spin();
        } finally {
            System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName());
            System.out.flush();
        }
    }

    /** A call, so that code instrumented on demand while the load ran has kill points here. */
    static void spin() {
        while (true) {
            spins++;
        }
    }
}
