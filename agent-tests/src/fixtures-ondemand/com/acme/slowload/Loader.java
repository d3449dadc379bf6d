package com.acme.slowload;

/** Loads {@link Lazy}, slowly (another agent works on it meanwhile), or initialises {@link SlowInit}, slowly; then spins. */
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

    /** Initialises {@link SlowInit} (work in its static initialiser until released), then spins. */
    public static void initialiseThenSpin() {
        try {
            System.out.println("@@ INITIALISED\tname=" + Thread.currentThread().getName() + "\tvalue=" + (SlowInit.VALUE > 0));
            System.out.flush();
            spin();
        } finally {
            System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName());
            System.out.flush();
        }
    }

    /** Initialises {@link SleepyInit} (a wait in unselected code in its static initialiser, until released), then spins. */
    public static void initialiseSleepyThenSpin() {
        try {
            System.out.println("@@ INITIALISED\tname=" + Thread.currentThread().getName() + "\tvalue=" + (SleepyInit.VALUE > 0));
            System.out.flush();
            spin();
        } finally {
            System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName());
            System.out.flush();
        }
    }

    /** Uses {@link SleepyInit} from another thread, after the kill: the class must be usable. */
    public static void useTheSleepyClass() {
        System.out.println("@@ USED\tname=" + Thread.currentThread().getName() + "\tvalue=" + (SleepyInit.VALUE > 0));
        System.out.flush();
    }

    /** Uses {@link DeadlineInit}, whose initialiser runs a task with a deadline that it overruns. */
    public static void useTheDeadlineClass() {
        System.out.println("@@ USED\tname=" + Thread.currentThread().getName() + "\tvalue=" + DeadlineInit.VALUE);
        System.out.flush();
    }

    /** Uses {@link SlowInit} from another thread, after the kill: the class must be usable. */
    public static void useTheInitialisedClass() {
        System.out.println("@@ USED\tname=" + Thread.currentThread().getName() + "\tvalue=" + (SlowInit.VALUE > 0));
        System.out.flush();
    }

    /** Lets the slow work end: {@link SlowInit}'s initialiser and the other agent's transformer. */
    public static void release() {
        System.setProperty("slowload.released", "true");
    }

    /** Works in a loop of selected code until released (at most a minute); returns how many steps it made. */
    static long workUntilReleased() {
        long end = System.nanoTime() + 60_000_000_000L;
        long steps = 0;
        while (!Boolean.getBoolean("slowload.released") && System.nanoTime() < end) {
            steps++;
        }
        return steps + 1;
    }

    /** A call, so that code instrumented on demand while the load ran has kill points here. */
    static void spin() {
        while (true) {
            spins++;
        }
    }
}
