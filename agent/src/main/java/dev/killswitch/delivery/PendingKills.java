package dev.killswitch.delivery;

import java.util.Arrays;

/**
 * The kills requested and not yet delivered. Armed kill points compare the current thread against
 * this array, which is almost always empty or one element long.
 */
final class PendingKills {
    private static final KillRequest[] NONE = new KillRequest[0];
    private static volatile KillRequest[] pending = NONE;

    private PendingKills() {
    }

    /**
     * Called at every armed kill point, in every thread that passes one: throws in a thread whose kill is
     * pending.
     *
     * @return false if the current thread has no kill pending
     */
    static boolean deliverToCurrentThread() {
        KillRequest[] current = pending;
        if (current.length == 0) {
            return false;
        }
        Thread me = Thread.currentThread();
        for (KillRequest request : current) {
            if (request.thread() == me) {
                request.deliverHere();
                return true; // the kill was settled meanwhile (deliverHere did not throw)
            }
        }
        return false;
    }

    static synchronized KillRequest find(Thread thread) {
        for (KillRequest request : pending) {
            if (request.thread() == thread) {
                return request;
            }
        }
        return null;
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

    static int count() {
        return pending.length;
    }
}
