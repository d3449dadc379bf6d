package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The handle of a kill that was not accepted. */
final class RefusedKill implements KillHandle {
    private final Thread thread;
    private final String threadName;
    private final String reason;
    private final KillStatus status;
    private final String why;
    private final KillHandle pending;
    private final Instant requestedAt = Instant.now();

    private RefusedKill(Thread thread, String reason, KillStatus status, String why, KillHandle pending) {
        this.thread = thread;
        this.threadName = thread.getName();
        this.reason = reason;
        this.status = status;
        this.why = why;
        this.pending = pending;
        KillStats.REFUSED.increment();
    }

    static RefusedKill agentInactive(Thread thread, String reason, String why) {
        return new RefusedKill(thread, reason, KillStatus.AGENT_INACTIVE, why, null);
    }

    static RefusedKill notAlive(Thread thread, String reason) {
        String state = thread.getState() == Thread.State.NEW ? "has not been started" : "has already ended";
        return new RefusedKill(thread, reason, KillStatus.NOT_ALIVE, "the thread " + state, null);
    }

    static RefusedKill alreadyBeingKilled(Thread thread, String reason, KillRequest pending) {
        return new RefusedKill(thread, reason, KillStatus.ALREADY_BEING_KILLED,
                "it is already being killed (" + pending.describe() + ")", pending);
    }

    static RefusedKill escalatedPending(Thread thread, String reason, KillRequest pending) {
        return new RefusedKill(thread, reason, KillStatus.ALREADY_BEING_KILLED,
                "a kill of it is already pending, and is now escalated: it lands at the next kill point, even inside"
                        + " cleanup code (" + pending.describe() + ")", pending);
    }

    static RefusedKill systemThread(Thread thread, String reason, String why) {
        return new RefusedKill(thread, reason, KillStatus.SYSTEM_THREAD, "it is " + why + ", which is never killed", null);
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public String threadName() {
        return threadName;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public KillStatus status() {
        return status;
    }

    @Override
    public Instant requestedAt() {
        return requestedAt;
    }

    @Override
    public Optional<StackTraceElement> deliveredAt() {
        return Optional.empty();
    }

    @Override
    public Optional<Instant> deliveredTime() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> deliveryLatency() {
        return Optional.empty();
    }

    @Override
    public boolean hasThreadEnded() {
        return thread.getState() == Thread.State.TERMINATED;
    }

    @Override
    public Optional<KillHandle> pendingKill() {
        return Optional.ofNullable(pending);
    }

    @Override
    public boolean cancel() {
        return false;
    }

    @Override
    public Optional<String> whyNotDelivered() {
        return Optional.empty();
    }

    @Override
    public boolean awaitDelivery(Duration timeout) {
        return false;
    }

    @Override
    public boolean awaitThreadEnd(Duration timeout) throws InterruptedException {
        return ThreadLabels.join(thread, timeout);
    }

    @Override
    public String describe() {
        return "kill of " + ThreadLabels.label(thread, threadName) + " refused: " + why;
    }

    @Override
    public String toString() {
        return describe();
    }
}
