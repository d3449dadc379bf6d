package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.RuntimePackages;
import dev.killswitch.runtime.registry.InstrumentedClasses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kills that were delivered and may still be unwinding, by thread: what the checks at the ends of
 * catch blocks compare what they caught against. A catch block gives the kill back if what it caught
 * is the kill, or carries it: has it as a cause, was thrown by a catch block that was handling it (a
 * wrapper that forgot the cause), or is a {@code StackOverflowError} thrown while it unwinds (a check
 * that ran out of stack near the limit, say). Once the error has left the frames it was thrown through
 * (a thread pool caught it, and the thread runs other code), the kill is over, even for this thread.
 *
 * <p>The deliverer records each kill here after it landed; until then, {@link PendingKills} still holds
 * it, and the look-ups here look there first.
 */
public final class Unwinding {
    /** Kills and carriers remembered per thread; older ones are dropped past these. */
    private static final int MAX_KILLS = 8;
    private static final int MAX_CARRIERS = 16;
    /** Stack traces this deep may be cut short by the JVM, so their frames cannot be compared. */
    private static final int TRUNCATED_TRACE = 1000;
    private static final int MAX_CAUSES = 32;
    /** How long after a kill landed a thread is thought to be possibly unwinding from it, for waking decisions. */
    private static final long RECENT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private static final Record[] NONE = new Record[0];
    private static volatile Record[] records = NONE;

    private Unwinding() {
    }

    /** A kill delivered to the thread, with its handle (null for a stop-shim self-stop). */
    private static final class Delivered {
        final ThreadKilledError kill;
        final KillHandle handle;

        Delivered(ThreadKilledError kill, KillHandle handle) {
            this.kill = kill;
            this.handle = handle;
        }
    }

    private static final Delivered[] NO_KILLS = new Delivered[0];
    private static final Throwable[] NO_CARRIERS = new Throwable[0];

    private static final class Record {
        final Thread thread;
        /** One array of pairs, published at once: readers never see a kill and a handle that do not belong together. */
        volatile Delivered[] kills = NO_KILLS;
        volatile Throwable[] carriers = NO_CARRIERS;

        Record(Thread thread) {
            this.thread = thread;
        }

        void add(ThreadKilledError kill, KillHandle handle) {
            for (Delivered d : kills) {
                if (d.kill == kill) {
                    return;
                }
            }
            kills = append(kills, new Delivered(kill, handle), MAX_KILLS);
        }

        ThreadKilledError latest() {
            Delivered[] k = kills;
            return k.length == 0 ? null : k[k.length - 1].kill;
        }
    }

    /** True while no thread has ever been killed, or every killed thread has ended: the checks' fast path. */
    public static boolean none() {
        return records.length == 0;
    }

    /** For tests and the soak: threads with kills recorded. */
    public static int tracked() {
        return records.length;
    }

    /**
     * A kill landed in {@code thread}: recorded by the deliverer, or by the thread itself for a stop-shim self-stop.
     * Not if it was caught for good meanwhile ({@link #handled}, under the same lock).
     */
    public static synchronized void delivered(Thread thread, ThreadKilledError kill, KillHandle handle) {
        if (handle instanceof KillRequest && ((KillRequest) handle).handled) {
            return;
        }
        recordOf(thread).add(kill, handle);
    }

    /** True if the current thread has kills recorded: without, a check where a block ends has nothing to give back. */
    public static boolean hasRecord() {
        return mine() != null;
    }

    /** The record of {@code thread}, made if needed; drops the records of threads that have ended. Holds the class lock. */
    private static Record recordOf(Thread thread) {
        List<Record> next = new ArrayList<>();
        Record mine = null;
        for (Record r : records) {
            if (r.thread == thread) {
                mine = r;
            }
            if (r.thread.isAlive() || r.thread == thread) {
                next.add(r);
            }
        }
        if (mine == null) {
            mine = new Record(thread);
            next.add(mine);
        }
        records = next.toArray(NONE);
        return mine;
    }

    /** Forgets the records of threads that have ended (the deliverer calls it now and then). */
    public static synchronized void forgetEnded() {
        List<Record> next = new ArrayList<>();
        for (Record r : records) {
            if (r.thread.isAlive()) {
                next.add(r);
            }
        }
        if (next.size() != records.length) {
            records = next.toArray(NONE);
        }
    }

    /**
     * The kill was caught for good and turned into something else ({@code callWithDeadline} makes it a
     * TimeoutException with the kill as its cause): catch blocks that catch that no longer give it back.
     */
    public static synchronized void handled(ThreadKilledError kill) {
        KillRequest fresh = PendingKills.deliveredAs(kill);
        if (fresh != null) {
            fresh.handled = true; // the deliverer has not recorded it yet, and now will not
        }
        Thread me = Thread.currentThread();
        List<Record> next = new ArrayList<>();
        for (Record r : records) {
            if (r.thread != me) {
                next.add(r);
                continue;
            }
            List<Delivered> left = new ArrayList<>();
            for (Delivered d : r.kills) {
                if (d.kill != kill) {
                    left.add(d);
                }
            }
            if (!left.isEmpty()) {
                r.kills = left.toArray(NO_KILLS);
                r.carriers = NO_CARRIERS; // they carried the handled kill, most likely
                next.add(r);
            }
        }
        records = next.toArray(NONE);
    }

    /**
     * The current thread's kill that {@code t} is or carries, if that kill is still unwinding the frames the
     * caller is in; else null.
     */
    public static ThreadKilledError unwindingKill(Throwable t) {
        if (t == null) {
            return null;
        }
        ThreadKilledError kill = carriedBy(t);
        return kill != null && stillUnwinding(kill) ? kill : null;
    }

    /** The handle of a kill of the current thread, if known. */
    public static KillHandle handleOf(ThreadKilledError kill) {
        KillRequest fresh = PendingKills.deliveredAs(kill);
        if (fresh != null) {
            return fresh;
        }
        Record r = mine();
        if (r != null) {
            for (Delivered d : r.kills) {
                if (d.kill == kill) {
                    return d.handle;
                }
            }
        }
        return null;
    }

    /** The handle of the latest kill recorded for {@code thread}, or null. */
    public static KillHandle latestHandleOf(Thread thread) {
        for (Record r : records) {
            Delivered[] k = r.kills;
            if (r.thread == thread && k.length > 0) {
                return k[k.length - 1].handle;
            }
        }
        return null;
    }

    /**
     * The kill {@code thread} is dying of: one delivered to it, while it runs its uncaught-exception handler (out of all
     * selected code, so only the handler's frame in {@code now} tells); null otherwise.
     */
    static KillHandle dyingOf(Thread thread, StackTraceElement[] now) {
        KillHandle latest = latestHandleOf(thread);
        if (latest == null || !latest.isDelivered()) {
            return null;
        }
        for (StackTraceElement f : now) {
            if (f.getMethodName().equals("dispatchUncaughtException") && f.getClassName().equals("java.lang.Thread")) {
                return latest;
            }
        }
        return null;
    }

    /**
     * True if {@code thread} may still be unwinding from a kill that landed in the last seconds, judging by a
     * sample of its stack: its outermost selected frame is where that kill's stack had it. The deliverer then
     * does not interrupt it for another kill, which would disturb the waits of its cleanup code.
     */
    public static boolean mayBeUnwinding(Thread thread, StackTraceElement[] now) {
        KillHandle latest = latestHandleOf(thread);
        if (!(latest instanceof KillRequest)) {
            return false;
        }
        KillRequest k = (KillRequest) latest;
        if (System.nanoTime() - (k.requestedNanos() + k.latencyNanos()) > RECENT_NANOS || k.error() == null) {
            return false;
        }
        StackTraceElement[] then = k.error().getStackTrace();
        int outermost = -1;
        for (int i = 0; i < now.length; i++) {
            if (InstrumentedClasses.contains(now[i].getClassName())) {
                outermost = i;
            }
        }
        int fromBottom = now.length - outermost;
        if (outermost < 0 || fromBottom > then.length) {
            return false;
        }
        StackTraceElement a = now[outermost];
        StackTraceElement b = then[then.length - fromBottom];
        return a.getClassName().equals(b.getClassName()) && a.getMethodName().equals(b.getMethodName());
    }

    /** A catch block that was handling {@code kill} throws {@code thrown}: from now on {@code thrown} carries it. */
    public static void carries(Throwable thrown, ThreadKilledError kill) {
        if (thrown == null || thrown == kill || carriedBy(thrown) != null) {
            return;
        }
        synchronized (Unwinding.class) {
            Record r = recordOf(Thread.currentThread());
            if (r.latest() != kill) {
                r.add(kill, PendingKills.deliveredAs(kill)); // landed so recently that the deliverer has not recorded it yet
            }
            r.carriers = append(r.carriers, thrown, MAX_CARRIERS);
        }
    }

    private static Record mine() {
        Thread me = Thread.currentThread();
        for (Record r : records) {
            if (r.thread == me) {
                return r;
            }
        }
        return null;
    }

    /** The kill of the current thread that {@code caught} is or carries, or null. */
    private static ThreadKilledError carriedBy(Throwable caught) {
        if (PendingKills.deliveredAs(caught) != null) {
            return (ThreadKilledError) caught;
        }
        // The kills just delivered before the records: the deliverer records a kill before it leaves those, so a
        // kill gone from them is found here. The other order could miss it in both, and the catch block swallow it.
        ThreadKilledError latest = PendingKills.latestDelivered();
        Record r = mine();
        Delivered[] kills = r == null ? NO_KILLS : r.kills;
        Throwable[] carriers = r == null ? NO_CARRIERS : r.carriers;
        if (latest == null && kills.length > 0) {
            latest = kills[kills.length - 1].kill;
        }
        if (latest == null) {
            return null;
        }
        Throwable t = caught;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++) {
            if (t == latest || t instanceof StackOverflowError && thrownByTheRuntime(t)) {
                return latest;
            }
            for (int k = kills.length - 1; k >= 0; k--) {
                if (t == kills[k].kill) {
                    return kills[k].kill;
                }
            }
            for (Throwable c : carriers) {
                if (t == c) {
                    return latest;
                }
            }
            if (t instanceof ThreadKilledError && PendingKills.deliveredAs(t) != null) {
                return (ThreadKilledError) t;
            }
            Throwable cause = t.getCause();
            t = cause == t ? null : cause;
        }
        return null;
    }

    /**
     * A StackOverflowError thrown by the runtime's own check near the stack limit, while it handled the kill:
     * it stands for the kill. (One thrown by the application's code is its own.)
     */
    private static boolean thrownByTheRuntime(Throwable soe) {
        StackTraceElement[] trace = soe.getStackTrace();
        for (int i = 0; i < trace.length && i < 4; i++) {
            if (RuntimePackages.isRuntimeClass(trace[i].getClassName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if the current thread's stack is still part of the stack the kill was thrown from: the catch
     * block is in a frame the error has been unwinding through, not in code the thread ran after the
     * error was caught for good.
     */
    private static boolean stillUnwinding(ThreadKilledError kill) {
        StackTraceElement[] then = kill.getStackTrace();
        if (then.length == 0 || then.length >= TRUNCATED_TRACE) {
            return true;
        }
        StackTraceElement[] now = new Throwable().getStackTrace();
        int skip = 0;
        while (skip < now.length && RuntimePackages.isRuntimeClass(now[skip].getClassName())) {
            skip++;
        }
        int depth = now.length - skip;
        if (depth > then.length || now.length >= TRUNCATED_TRACE) {
            return now.length >= TRUNCATED_TRACE;
        }
        for (int k = 1; k <= depth; k++) {
            StackTraceElement a = now[now.length - k];
            StackTraceElement b = then[then.length - k];
            if (!a.getClassName().equals(b.getClassName()) || !a.getMethodName().equals(b.getMethodName())) {
                return false;
            }
        }
        return true;
    }

    private static <T> T[] append(T[] array, T element, int max) {
        T[] next = Arrays.copyOf(array, array.length + 1);
        next[array.length] = element;
        return next.length > max ? Arrays.copyOfRange(next, next.length - max, next.length) : next;
    }
}
