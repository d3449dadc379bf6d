package dev.killswitch;

/** Where a kill request stands. The first two can change; the others are final. */
public enum KillStatus {
    /** Requested; the thread has not reached a kill point yet. */
    PENDING(false),
    /** {@link ThreadKilledError} was thrown in the thread. */
    DELIVERED(false),
    /** The thread ended before it reached a kill point. */
    THREAD_ENDED(false),
    /** Refused: the thread was not started or had already ended. */
    NOT_ALIVE(true),
    /** Refused: a kill of this thread is already pending; see {@link KillHandle#pendingKill()}. */
    ALREADY_BEING_KILLED(true),
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
