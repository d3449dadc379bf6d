package dev.killswitch.runtime.retrofit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's stay inside a method with a deadline, or inside one {@code Killswitch.callWithDeadline}.
 * The thread and the watchdog race to settle it: the thread by leaving in time, the watchdog by firing.
 */
final class DeadlineEntry {
    private static final int ACTIVE = 0;
    private static final int LEFT = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DeadlineEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread;
    /** Index of the configured method, or -1 for a callWithDeadline. */
    final int method;
    /** The configured method as {@code com.acme.Job.run}, or null. */
    final String methodName;
    /** The reason the kill will carry. */
    final String reason;
    final long deadlineNanos;

    // Touched by the owning thread only.
    /** Calls of the same method inside this one (recursion, re-entry): they share its clock. */
    int reentries;
    /** The entry the thread was in when it entered this one. */
    DeadlineEntry outer;
    /** Set by the watchdog: the thread is no longer in the method, although no exit was recorded. */
    volatile boolean stale;

    /** Set by the watchdog: the kill it requested. */
    volatile dev.killswitch.KillHandle kill;

    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    DeadlineEntry(Thread thread, int method, String methodName, String reason, long deadlineNanos) {
        this.thread = thread;
        this.method = method;
        this.methodName = methodName;
        this.reason = reason;
        this.deadlineNanos = deadlineNanos;
    }

    boolean isActive() {
        return state == ACTIVE;
    }

    /**
     * The owning thread leaves.
     *
     * @return true if in time; false if the watchdog fired, in which case it has made its kill request by now
     */
    boolean leave() {
        if (STATE.compareAndSet(this, ACTIVE, LEFT)) {
            return true;
        }
        while (state == FIRING) {
            Thread.onSpinWait(); // the watchdog is between deciding and requesting: microseconds
        }
        return false;
    }

    /** Watchdog: claims the entry to fire it; false if the thread left first. */
    boolean startFiring() {
        return STATE.compareAndSet(this, ACTIVE, FIRING);
    }

    /** Watchdog: the kill has been requested (or the entry found stale). */
    void fired() {
        state = FIRED;
    }
}
