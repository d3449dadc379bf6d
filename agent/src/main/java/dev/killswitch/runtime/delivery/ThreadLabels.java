package dev.killswitch.runtime.delivery;

import java.time.Duration;
import java.util.Locale;

/** Small formatting and waiting helpers shared by the handles; {@link #label} is how every message names a thread. */
public final class ThreadLabels {
    private ThreadLabels() {
    }

    public static String label(Thread thread) {
        return label(thread, thread.getName());
    }

    /** The thread named as it was once: a kill's victim, as it was when the kill was asked. */
    static String label(Thread thread, String name) {
        return label(id(thread), name);
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and ids are the same
    static long id(Thread thread) {
        return thread.getId();
    }

    /** {@code thread 31 "report-1"}. */
    public static String label(long id, String name) {
        return "thread " + id + " \"" + name + "\"";
    }

    public static String millis(long nanos) {
        double ms = nanos / 1e6;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : "%.0f ms", ms);
    }

    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%d us", nanos / 1000);
    }

    static boolean join(Thread thread, Duration timeout) throws InterruptedException {
        if (thread.getState() == Thread.State.NEW) {
            return false;
        }
        long millis = Math.max(1, timeout.toMillis());
        thread.join(millis);
        return !thread.isAlive();
    }
}
