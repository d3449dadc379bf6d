package dev.killswitch;

import dev.killswitch.delivery.Deadlines;
import dev.killswitch.delivery.KillRuntime;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * Kills threads that run selected code. This is the whole public API.
 *
 * <p>{@code kill} marks the thread and returns at once; the thread throws {@link ThreadKilledError}
 * at its next kill point: a loop back-edge, method entry or exception-handler entry in a class the
 * agent instrumented. The kill also interrupts the thread, so interruptible waits wake up.
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
        if (thread == null) {
            throw new NullPointerException("thread");
        }
        return KillRuntime.kill(thread, reason == null ? "no reason given" : reason);
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
