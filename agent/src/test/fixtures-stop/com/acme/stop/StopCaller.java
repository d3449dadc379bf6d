package com.acme.stop;

/**
 * Legacy code that still calls Thread.stop(), compiled against the Java 8 API, where Thread.stop(),
 * Thread.stop(Throwable) and ThreadGroup.stop() exist. JDK 20 to 25 throw from Thread.stop(), JDK 23+
 * no longer have ThreadGroup.stop(), JDK 26 no longer has Thread.stop(). No lambdas: the unit tests
 * also load it rewritten as a Java 5 class file.
 */
@SuppressWarnings("deprecation")
public final class StopCaller {
    private StopCaller() {
    }

    public static void stopThread(Thread t) {
        t.stop();
    }

    public static void stopThreadWith(Thread t, Throwable why) {
        t.stop(why);
    }

    public static void stopGroup(ThreadGroup group) {
        group.stop();
    }

    /** Through the subclass type: the instruction names com.acme.stop.Worker, not Thread. */
    public static void stopWorker(Worker w) {
        w.stop();
    }

    public static void stopSelf() {
        Thread.currentThread().stop();
    }

    /** Old code that stops itself and swallows what that throws: as with any kill, the catch block gives it back. */
    public static String stopSelfAndSwallow() {
        try {
            Thread.currentThread().stop();
        } catch (Throwable swallowed) {
            // the old ThreadDeath idiom gone wrong
        }
        return "survived";
    }

    /** A class with a stop() of its own: not a thread, so its own method runs, as always. */
    public static String stopMachine(Machine m) {
        m.stop();
        m.stop(new IllegalStateException("overheated"));
        return m.state;
    }
}
