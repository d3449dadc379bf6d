package dev.killswitch.runtime.cleanup;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.delivery.KillRequest;
import dev.killswitch.runtime.delivery.KillStats;
import dev.killswitch.runtime.delivery.Landing;
import dev.killswitch.runtime.delivery.PendingKills;
import dev.killswitch.runtime.delivery.Unwinding;

/**
 * What happens where a catch or finally block of selected code ends (the checks that
 * {@code dev.killswitch.instrument.cleanup.CatchBlockExits} inserts): the one place where a kill that waited for
 * cleanup code lands, and where a kill that a block caught is given back.
 * <ul>
 *   <li>A block that ends without throwing raises again the kill it caught, if it caught one that is
 *       still unwinding the thread; otherwise it delivers the thread's pending kill.
 *   <li>A block that throws lets a kill it rethrows go on; what it throws instead of a kill it was
 *       handling carries that kill from then on; otherwise the thread's pending kill is thrown instead,
 *       with what the block threw kept as a suppressed exception.
 *   <li>A block nested in another block of the same method only gives back what it caught: a pending
 *       kill waits for the outer block (unless it was escalated).
 *   <li>A pending kill meeting a kill that is already unwinding the thread coalesces with it: the thread
 *       is already dying, and its cleanup is not cut short.
 * </ul>
 */
public final class BlockEnds {
    /** The block is nested in another block of its method (as the transformer's CatchBlockExits). */
    public static final int NESTED = 0x200;

    private BlockEnds() {
    }

    /** A block ends without throwing. */
    public static void exit(Throwable caught, int flags) {
        KillRequest pending = PendingKills.mine();
        if (pending == null && nothingRecorded()) {
            return;
        }
        ThreadKilledError kill = Unwinding.unwindingKill(caught);
        if (kill != null) {
            coalesce(pending, kill);
            KillStats.RERAISED.increment();
            throw kill;
        }
        if (pending != null && ((flags & NESTED) == 0 || pending.isEscalated())) {
            Landing.tryLand(pending, Landing.AT_BLOCK_END);
        }
    }

    /** A block throws {@code thrown}, having caught {@code caught} (null if the block keeps no reference to it). */
    public static void throwing(Throwable thrown, Throwable caught, int flags) {
        if (thrown == null) {
            return; // a null throw fails with a NullPointerException, which goes its own way
        }
        KillRequest pending = PendingKills.mine();
        if (pending == null && nothingRecorded()) {
            return;
        }
        ThreadKilledError rethrown = Unwinding.unwindingKill(thrown);
        if (rethrown != null) {
            coalesce(pending, rethrown); // a finally rethrowing the kill: it goes on unwinding
            return;
        }
        ThreadKilledError handling = Unwinding.unwindingKill(caught);
        if (handling != null) {
            Unwinding.carries(thrown, handling); // a wrapper, or a new exception that dropped the kill
            coalesce(pending, handling);
            return;
        }
        if (pending != null && ((flags & NESTED) == 0 || pending.isEscalated())) {
            Landing.tryLandInstead(pending, thrown);
        }
    }

    /**
     * With no kill of its own pending: true if no kill of this thread is delivered either (the common case while
     * other threads' kills are about), checked without allocating anything.
     */
    private static boolean nothingRecorded() {
        return PendingKills.latestDelivered() == null && !Unwinding.hasRecord();
    }

    private static void coalesce(KillRequest pending, ThreadKilledError unwinding) {
        if (pending != null && !pending.isEscalated()) {
            KillHandle with = Unwinding.handleOf(unwinding);
            pending.settle(KillStatus.ALREADY_BEING_KILLED, null, with);
        }
    }
}
