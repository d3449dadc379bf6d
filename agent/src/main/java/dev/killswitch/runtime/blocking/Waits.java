package dev.killswitch.runtime.blocking;

import dev.killswitch.runtime.delivery.KillRequest;
import dev.killswitch.runtime.delivery.Landing;
import dev.killswitch.runtime.delivery.PendingKills;

/**
 * What every redirected blocking call does around its wait: a pending kill that may land here lands before
 * the wait and when an interrupt ends it, instead of the {@code InterruptedException}; the wake-up of a
 * kill that must wait for cleanup code is not passed on (the call waits again).
 */
final class Waits {
    private Waits() {
    }

    /** Throws ThreadKilledError if this thread's kill is pending and may land here; otherwise hands {@code e} back to be rethrown. */
    static <T extends Throwable> T killedOr(T e) {
        Landing.atWait();
        return e;
    }

    /**
     * Before a wait: a pending kill that may land here lands now, rather than after a wait that nothing may
     * end (its wake-up may have been spent in cleanup code the thread has left since). One volatile read
     * while no kill is pending in the JVM.
     */
    static void beforeWait() {
        if (!PendingKills.none()) {
            Landing.atWait();
        }
    }

    /**
     * An interruptible wait ended with {@code e}. Throws the kill if this thread's kill is pending and may land
     * here; returns, for the caller to wait again (it calls itself once more), if the interrupt was only the
     * wake-up of a kill that must wait for the cleanup code this wait is in (the original would not have been
     * interrupted, and that kill never wakes it again); otherwise rethrows {@code e}. A timed wait resumed so
     * starts its timeout again.
     */
    static void resumeAfter(InterruptedException e) throws InterruptedException {
        if (!ownWakeUp()) {
            throw e;
        }
    }

    /**
     * After an interrupt ended a wait: throws the kill if it may land here, and says whether the interrupt was
     * only the wake-up of a pending kill that must wait for cleanup code (then the caller waits on, and the
     * kill never wakes it again).
     */
    static boolean ownWakeUp() {
        KillRequest mine = PendingKills.mine();
        if (mine == null) {
            mine = PendingKills.settledOwn(); // ended undelivered while the wake-up was on its way
            return mine != null && mine.swallowWakeUp();
        }
        return Landing.tryLand(mine, Landing.AT_WAIT) == Landing.WAITS_FOR_CLEANUP && mine.swallowWakeUp();
    }

    /**
     * A kill point right after a call that returns when interrupted ({@code park}, {@code select}). If the
     * kill must wait for cleanup code and its own wake-up ended the call, the interrupt is cleared again: the
     * call returned as if spuriously, which its callers allow for.
     */
    static void afterWait() {
        if (!PendingKills.none() && ownWakeUp()) {
            Thread.interrupted();
        }
    }

    static void reinterrupt(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
