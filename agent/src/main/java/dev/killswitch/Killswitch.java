package dev.killswitch;

import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.retrofit.Deadlines;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * Kills threads that run selected code. This is the whole public API.
 *
 * <p>{@code kill} marks the thread and returns at once; the thread throws {@link ThreadKilledError}
 * at its next kill point: a loop back-edge or method entry in a class the agent instrumented, or a
 * blocking call made there. A kill never lands inside a {@code catch} or {@code finally} block: it waits
 * until the block has done its work, so cleanup always runs. A waiting thread is woken with an interrupt.
 * A thread with no selected code on its stack is left alone.
 *
 * <p>Without the agent (or with a configuration the agent rejected) every method still works and
 * says so: kills are refused with {@link KillStatus#AGENT_INACTIVE}.
 */
public final class Killswitch {

    private Killswitch() {
    }

    /**
     * Asks {@code thread} to die with a {@link ThreadKilledError} carrying {@code reason}. Never blocks
     * and never throws for a thread that is dead, already being killed, or not running selected code:
     * the returned handle says what happened.
     *
     * @throws NullPointerException if {@code thread} is null
     */
    public static KillHandle kill(Thread thread, String reason) {
        return kill(thread, reason, new KillOption[0]);
    }

    /**
     * {@link #kill(Thread, String)} with options: {@link KillOption#ESCALATE} to land even inside cleanup
     * code that hangs, {@link KillOption#WAIT_FOR_SELECTED_CODE} to wait for a thread that runs no selected
     * code now.
     *
     * @throws NullPointerException if {@code thread} or an option is null
     */
    public static KillHandle kill(Thread thread, String reason, KillOption... options) {
        if (thread == null) {
            throw new NullPointerException("thread");
        }
        boolean escalate = false;
        boolean waitForSelectedCode = false;
        for (KillOption o : options) {
            if (o == null) {
                throw new NullPointerException("option");
            }
            escalate |= o == KillOption.ESCALATE;
            waitForSelectedCode |= o == KillOption.WAIT_FOR_SELECTED_CODE;
        }
        return KillRuntime.kill(thread, reason == null ? "no reason given" : reason, escalate, waitForSelectedCode);
    }

    /**
     * Cancels the pending kill of {@code thread}, if there is one (see {@link KillHandle#cancel()}).
     *
     * @return true if a pending kill was cancelled
     */
    public static boolean cancelKill(Thread thread) {
        return thread != null && KillRuntime.cancel(thread);
    }

    /** True while a kill of {@code thread} has been requested and not yet delivered. */
    public static boolean isKillPending(Thread thread) {
        return thread != null && KillRuntime.isKillPending(thread);
    }

    /**
     * Runs {@code task} on the calling thread and kills it if it runs longer than {@code budget}. The kill
     * lands at the task's next kill point (or, at the latest, when the task returns) and is caught here:
     * the caller sees a {@link TimeoutException} whose cause is the {@link ThreadKilledError}, and the
     * calling thread lives on. A task that finishes in time returns its result or throws its exception
     * unchanged; a kill requested by anyone else still propagates as {@link ThreadKilledError}. Without the
     * agent nothing can be killed, and the task runs without a deadline.
     *
     * @throws TimeoutException if the task ran longer than {@code budget}
     * @throws IllegalArgumentException if {@code budget} is zero or negative
     * @throws NullPointerException if {@code budget} or {@code task} is null
     */
    public static <T> T callWithDeadline(Duration budget, Callable<T> task) throws Exception {
        return Deadlines.call(budget, task);
    }

    /** True if the agent is running in this JVM and accepts kills. */
    public static boolean isActive() {
        return KillRuntime.isActive();
    }
}
