package dev.killswitch;

/**
 * Where a kill request stands. {@code PENDING} can change to any other; {@code DELIVERED} and the others
 * are final.
 */
public enum KillStatus {
    /** Requested; the thread has not reached a kill point yet. */
    PENDING(false),
    /** {@link ThreadKilledError} was thrown in the thread. */
    DELIVERED(false),
    /** The thread ended before it reached a kill point. */
    THREAD_ENDED(false),
    /**
     * Nothing was done: the thread had no selected code on its stack when the kill was looked at, or left
     * the selected code the kill was aimed at (returned, or an exception took it out) before reaching a
     * kill point. It was not interrupted, and the work it takes up later is not affected. Ask with
     * {@link KillOption#WAIT_FOR_SELECTED_CODE} to kill it when it next runs selected code.
     */
    NOT_IN_SELECTED_CODE(false),
    /** Cancelled before it was delivered ({@link KillHandle#cancel()}, {@link Killswitch#cancelKill}). */
    CANCELLED(false),
    /** Refused: the thread was not started or had already ended. */
    NOT_ALIVE(true),
    /**
     * Not delivered because another kill of this thread does the work: one that is pending, or one that
     * was delivered and is still unwinding the thread (running its {@code finally} blocks); the two
     * coalesce. Set at once for a pending one, and as the thread unwinds for a delivered one. See
     * {@link KillHandle#pendingKill()}, and {@link KillOption#ESCALATE} for cleanup that hangs.
     */
    ALREADY_BEING_KILLED(true),
    /**
     * Refused: one of the JVM's own threads (reference handler, finalizer, signal dispatcher, attach
     * listener, JMX and RMI service threads, cleaners, carriers of virtual threads) or the agent's. Killing
     * them could take a JVM service down with whatever callback it was running.
     */
    SYSTEM_THREAD(true),
    /** Refused: the killswitch agent is not running in this JVM, or was disabled by its configuration. */
    AGENT_INACTIVE(true);

    private final boolean refused;

    KillStatus(boolean refused) {
        this.refused = refused;
    }

    /** True if the request was not accepted; nothing will be delivered. */
    public boolean isRefused() {
        return refused;
    }

    /** True once nothing more will happen to this request. */
    public boolean isFinal() {
        return this != PENDING;
    }
}
