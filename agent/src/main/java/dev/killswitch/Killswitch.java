package dev.killswitch;

import dev.killswitch.delivery.KillRuntime;

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

    /** True if the agent is running in this JVM and accepts kills. */
    public static boolean isActive() {
        return KillRuntime.isActive();
    }
}
