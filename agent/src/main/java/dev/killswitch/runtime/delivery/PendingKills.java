package dev.killswitch.runtime.delivery;

import dev.killswitch.KillStatus;
import dev.killswitch.ThreadKilledError;

import java.util.Arrays;

/**
 * The kills requested and not yet settled, and those just delivered until the deliverer has recorded
 * them as unwinding (a delivered kill is moved to {@link Unwinding} by the deliverer, not by the victim,
 * which must throw right after deciding). Armed kill points compare the current thread against this
 * array, which is almost always empty or one element long.
 */
public final class PendingKills {
    private static final KillRequest[] NONE = new KillRequest[0];
    private static volatile KillRequest[] pending = NONE;

    private PendingKills() {
    }

    /** True if no kill is pending or waiting for the deliverer's bookkeeping: the fast path of the checks. */
    public static boolean none() {
        return pending.length == 0;
    }

    /** The current thread's pending kill, or null. */
    public static KillRequest mine() {
        KillRequest[] current = pending;
        if (current.length == 0) {
            return null;
        }
        return pendingOf(current, Thread.currentThread());
    }

    private static KillRequest pendingOf(KillRequest[] requests, Thread thread) {
        for (KillRequest request : requests) {
            if (request.thread() == thread && request.status() == KillStatus.PENDING) {
                return request;
            }
        }
        return null;
    }

    /** A kill of the current thread delivered so recently that the deliverer has not recorded it yet, that is {@code t}. */
    public static KillRequest deliveredAs(Throwable t) {
        for (KillRequest request : pending) {
            if (request.thread() == Thread.currentThread() && request.status() == KillStatus.DELIVERED && request.error() == t
                    && !request.handled) {
                return request;
            }
        }
        return null;
    }

    /** The latest kill of the current thread delivered so recently that the deliverer has not recorded it yet. */
    public static ThreadKilledError latestDelivered() {
        ThreadKilledError latest = null;
        for (KillRequest request : pending) {
            if (request.thread() == Thread.currentThread() && request.status() == KillStatus.DELIVERED && !request.handled) {
                latest = request.error();
            }
        }
        return latest;
    }

    /**
     * A kill of the current thread that ended undelivered (cancelled, or the work it was aimed at ended) and is
     * still here until the deliverer clears it away, or null.
     */
    public static KillRequest settledOwn() {
        for (KillRequest request : pending) {
            KillStatus s = request.status();
            if (request.thread() == Thread.currentThread() && (s == KillStatus.CANCELLED || s == KillStatus.NOT_IN_SELECTED_CODE)) {
                return request;
            }
        }
        return null;
    }

    public static KillRequest find(Thread thread) {
        return pendingOf(pending, thread);
    }

    /** Adds {@code request} unless a kill of the same thread is pending; returns that one if so. */
    static synchronized KillRequest addUnlessPending(KillRequest request) {
        KillRequest existing = find(request.thread());
        if (existing != null) {
            return existing;
        }
        KillRequest[] next = Arrays.copyOf(pending, pending.length + 1);
        next[next.length - 1] = request;
        pending = next;
        return null;
    }

    static synchronized void remove(KillRequest request) {
        KillRequest[] current = pending;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == request) {
                KillRequest[] next = new KillRequest[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                pending = next.length == 0 ? NONE : next;
                return;
            }
        }
    }

    /** Kills still pending. */
    public static int count() {
        int n = 0;
        for (KillRequest r : pending) {
            if (r.status() == KillStatus.PENDING) {
                n++;
            }
        }
        return n;
    }

    /** For tests and the soak: every request not yet cleared away, pending or just delivered. */
    static int tracked() {
        return pending.length;
    }
}
