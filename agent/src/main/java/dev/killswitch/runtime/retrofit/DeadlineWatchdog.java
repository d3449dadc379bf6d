package dev.killswitch.runtime.retrofit;

import dev.killswitch.KillHandle;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.delivery.StackSamples;
import dev.killswitch.runtime.delivery.ThreadLabels;
import dev.killswitch.runtime.diagnosis.Diagnosis;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that fires deadlines: it sleeps until the earliest deadline of the threads inside a
 * deadline, and kills those that are still inside when it passes, through the ordinary kill path (handle,
 * counters, delivery). Started the first time a deadline is entered.
 */
public final class DeadlineWatchdog implements Runnable {
    private static final int SCANNING = 0;
    private static final int SLEEPING = 1;
    private static final int IDLE = 2;

    private static final Set<DeadlineEntry> WATCHED = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread;
    /** What the watchdog does now; with {@link #wakeAt}, tells {@link #watch} whether it must wake it. */
    private static volatile int mode = SCANNING;
    private static volatile long wakeAt;

    private DeadlineWatchdog() {
    }

    static void watch(DeadlineEntry entry) {
        WATCHED.add(entry);
        // Written before mode, read after it: SLEEPING guarantees wakeAt is the time it will look again.
        if (mode != SLEEPING || entry.deadlineNanos - wakeAt < 0) {
            wake();
        }
    }

    /** @return true if the thread left in time; false if the deadline fired (its kill has been requested) */
    static boolean unwatch(DeadlineEntry entry) {
        WATCHED.remove(entry);
        return entry.leave();
    }

    private static void wake() {
        Thread t = thread;
        if (t == null) {
            t = start();
        }
        LockSupport.unpark(t);
    }

    private static synchronized Thread start() {
        if (thread == null) {
            Thread t = new Thread(new DeadlineWatchdog(), "killswitch-watchdog");
            t.setDaemon(true);
            t.start();
            thread = t;
        }
        return thread;
    }

    @Override
    public void run() {
        for (;;) {
            try {
                step();
            } catch (Throwable t) {
                System.err.println("killswitch: internal error in the deadline watchdog (deadlines continue): " + t);
                LockSupport.parkNanos(this, 50_000_000L);
            }
        }
    }

    private void step() {
        mode = SCANNING;
        long now = System.nanoTime();
        long next = 0;
        boolean any = false;
        for (Iterator<DeadlineEntry> it = WATCHED.iterator(); it.hasNext(); ) {
            DeadlineEntry e = it.next();
            if (!e.isActive() || !e.thread.isAlive()) {
                it.remove();
            } else if (now - e.deadlineNanos >= 0) {
                it.remove();
                fire(e);
            } else if (!any || e.deadlineNanos - next < 0) {
                any = true;
                next = e.deadlineNanos;
            }
        }
        if (!any) {
            mode = IDLE;
            LockSupport.park(this);
        } else {
            wakeAt = next;
            mode = SLEEPING;
            LockSupport.parkNanos(this, next - System.nanoTime());
        }
    }

    private static void fire(DeadlineEntry e) {
        if (!e.startFiring()) {
            return; // it left meanwhile
        }
        try {
            if (e.methodName != null && !isInside(e)) {
                e.stale = true; // its exit was never recorded (a StackOverflowError in the exit itself): not a kill
                return;
            }
            // A callWithDeadline kill lands in the task, or where the call ends (which cancels it if it cannot land).
            KillHandle handle = KillRuntime.kill(e.thread, e.reason, false, e.methodName == null, false);
            e.kill = handle;
            if (e.methodName != null) {
                System.err.println("killswitch: " + ThreadLabels.label(e.thread) + ": " + e.reason + "; "
                        + (handle.status().isRefused() ? handle.describe() : "killing it"));
            }
        } finally {
            e.fired();
        }
    }

    /** Is the configured method still on the thread's stack? Sampled only when a deadline fires. */
    private static boolean isInside(DeadlineEntry e) {
        int dot = e.methodName.lastIndexOf('.');
        String cls = e.methodName.substring(0, dot);
        return Diagnosis.runs(StackSamples.whole(e.thread), cls, e.methodName.substring(dot + 1));
    }
}
