package com.acme.flink.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Report lines ({@code @@ EVENT\tkey=value}) on stdout, and the thread each stuck function runs on. */
public final class Report {
    private static final Map<String, Thread> STUCK_THREADS = new ConcurrentHashMap<>();

    private Report() {
    }

    /** Said once, just before the function gets stuck for good. */
    public static void stuck(String shape) {
        STUCK_THREADS.put(shape, Thread.currentThread());
        ClassLoader loader = Report.class.getClassLoader(); // the job's classes' loader: Flink's for a submitted jar
        line("STUCK\tshape=" + shape + "\tthread=" + Thread.currentThread().getName()
                + "\tloader=" + (loader == null ? "boot" : loader.getClass().getName()));
    }

    /** Said by the stuck function's {@code finally}: only a kill, or an end, gets there. */
    public static void finallyRan(String shape) {
        line("FINALLY\tshape=" + shape + "\tthread=" + Thread.currentThread().getName());
    }

    public static Thread threadOf(String shape) {
        return STUCK_THREADS.get(shape);
    }

    public static synchronized void line(String text) {
        System.out.println("@@ " + text);
        System.out.flush();
    }
}
