package dev.killswitch.runtime.blocking;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The one loop behind every blocking call that ignores interrupts ({@code Lock.lock},
 * {@code Semaphore.acquireUninterruptibly}, {@code Condition.awaitUninterruptibly},
 * {@code Phaser.awaitAdvance}, {@code CompletableFuture.join}): it waits in the call's interruptible twin,
 * so that a kill's interrupt can end the wait, waits again after an interrupt that is not a kill, and sets
 * the interrupt status again before returning, as the original does. The twins are constants of one switch,
 * not lambdas or classes of their own: this class is initialised when the agent starts, never first in a
 * victim near its stack limit, and it adds one class to the bootstrap runtime, not five.
 */
final class InterruptibleTwin {
    /** {@code Lock.lockInterruptibly()}: takes an uncontended lock as fast as {@code lock()}, with the same fairness. */
    static final int LOCK = 0;
    /** {@code Semaphore.acquire(permits)}. */
    static final int ACQUIRE = 1;
    /** {@code Condition.await()}: the lock is held again when it returns or throws, as with any error. */
    static final int AWAIT = 2;
    /** {@code Phaser.awaitAdvanceInterruptibly(phase)}. */
    static final int ADVANCE = 3;
    /** {@code Future.get()} until the future is done, however: the caller then reads the outcome as the original would. */
    static final int DONE = 4;

    private InterruptibleTwin() {
    }

    /** Waits through twin {@code kind} as the uninterruptible original would; a pending kill that may land here ends it. */
    static int waitThrough(int kind, Object on, int arg) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return await(kind, on, arg);
                } catch (InterruptedException e) {
                    interrupted |= !Waits.ownWakeUp(); // killed while waiting: nothing was acquired
                }
            }
        } finally {
            Waits.reinterrupt(interrupted);
        }
    }

    private static int await(int kind, Object on, int arg) throws InterruptedException {
        switch (kind) {
            case LOCK:
                ((Lock) on).lockInterruptibly();
                return 0;
            case ACQUIRE:
                ((Semaphore) on).acquire(arg);
                return 0;
            case AWAIT:
                ((Condition) on).await();
                return 0;
            case ADVANCE:
                return ((Phaser) on).awaitAdvanceInterruptibly(arg);
            default:
                try {
                    ((Future<?>) on).get();
                } catch (ExecutionException | CancellationException done) {
                    // done: the caller's join() throws what it throws
                }
                return 0;
        }
    }
}
