package dev.killswitch.delivery;

import dev.killswitch.ThreadKilledError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kills that were delivered and may still be unwinding, by thread: what the checks at the ends of
 * catch blocks compare what they caught against. A catch block gives the kill back if what it caught
 * is the kill, or carries it: has it as a cause, or was thrown by a catch block that was handling it
 * (a wrapper that forgot the cause). Once the error has left the frames it was thrown through (a
 * thread pool caught it, and the thread runs other code), the kill is over, even for this thread.
 */
final class Unwinding {
    /** Kills and carriers remembered per thread; older ones are dropped past these. */
    private static final int MAX_KILLS = 8;
    private static final int MAX_CARRIERS = 16;
    /** Stack traces this deep may be cut short by the JVM, so their frames cannot be compared. */
    private static final int TRUNCATED_TRACE = 1000;
    private static final int MAX_CAUSES = 32;

    private static final Record[] NONE = new Record[0];
    private static volatile Record[] records = NONE;

    private Unwinding() {
    }

    private static final class Record {
        final Thread thread;
        volatile ThreadKilledError[] kills;
        volatile Throwable[] carriers = new Throwable[0];

        Record(Thread thread, ThreadKilledError kill) {
            this.thread = thread;
            this.kills = new ThreadKilledError[] {kill};
        }
    }

    /** True while no thread has ever been killed, or every killed thread has ended: the checks' fast path. */
    static boolean none() {
        return records.length == 0;
    }

    /** The victim, as the kill is thrown. */
    static synchronized void delivered(Thread thread, ThreadKilledError kill) {
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
            next.add(new Record(thread, kill));
        } else {
            mine.kills = append(mine.kills, kill, MAX_KILLS);
        }
        records = next.toArray(NONE);
    }

    /**
     * The kill was caught for good and turned into something else ({@code callWithDeadline} makes it a
     * TimeoutException with the kill as its cause): catch blocks that catch that no longer give it back.
     */
    static synchronized void handled(ThreadKilledError kill) {
        Thread me = Thread.currentThread();
        List<Record> next = new ArrayList<>();
        for (Record r : records) {
            if (r.thread != me) {
                next.add(r);
                continue;
            }
            List<ThreadKilledError> left = new ArrayList<>();
            for (ThreadKilledError k : r.kills) {
                if (k != kill) {
                    left.add(k);
                }
            }
            if (!left.isEmpty()) {
                r.kills = left.toArray(new ThreadKilledError[0]);
                r.carriers = new Throwable[0]; // they carried the handled kill, most likely
                next.add(r);
            }
        }
        records = next.toArray(NONE);
    }

    /** A catch block ends: throws the kill it caught, if it caught one of this thread's that is still unwinding. */
    static void catchExit(Throwable caught) {
        ThreadKilledError kill = carriedBy(caught);
        if (kill != null && stillUnwinding(kill)) {
            KillStats.RERAISED.increment();
            throw kill;
        }
    }

    /** A catch block throws {@code thrown}: if it was handling a kill, {@code thrown} carries it from now on. */
    static void catchThrow(Throwable thrown, Throwable caught) {
        if (thrown == null || thrown == caught) {
            return;
        }
        ThreadKilledError kill = carriedBy(caught);
        if (kill != null && carriedBy(thrown) == null && stillUnwinding(kill)) {
            Record r = mine();
            if (r != null) {
                synchronized (Unwinding.class) {
                    r.carriers = append(r.carriers, thrown, MAX_CARRIERS);
                }
            }
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
        Record r = mine();
        if (r == null || caught == null) {
            return null;
        }
        ThreadKilledError[] kills = r.kills;
        Throwable[] carriers = r.carriers;
        Throwable t = caught;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++) {
            for (int k = kills.length - 1; k >= 0; k--) {
                if (t == kills[k]) {
                    return kills[k];
                }
            }
            for (Throwable c : carriers) {
                if (t == c) {
                    return kills[kills.length - 1];
                }
            }
            Throwable cause = t.getCause();
            t = cause == t ? null : cause;
        }
        return null;
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
        while (skip < now.length && now[skip].getClassName().startsWith("dev.killswitch.delivery.")) {
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
