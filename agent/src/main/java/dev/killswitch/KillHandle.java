package dev.killswitch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Killswitch#kill(Thread, String)} returns: a live view of one kill request.
 * All methods are safe to call from any thread and never throw for a refused or finished request.
 */
public interface KillHandle {

    /** The thread the kill was aimed at. */
    Thread thread();

    /** The thread's name when the kill was asked (by default, its name now): a worker may be renamed as it unwinds (executors rename it when its task ends). */
    default String threadName() {
        return thread().getName();
    }

    /** The reason given with the request; it is also in the message of the {@link ThreadKilledError}. */
    String reason();

    /** Where the request stands now. */
    KillStatus status();

    /** True once {@link ThreadKilledError} has been thrown in the thread. */
    default boolean isDelivered() {
        return status() == KillStatus.DELIVERED;
    }

    /** When the request was made. */
    Instant requestedAt();

    /** The frame (class, method, line) in which the error was thrown, once delivered. */
    Optional<StackTraceElement> deliveredAt();

    /** When the error was thrown, once delivered. */
    Optional<Instant> deliveredTime();

    /** Time from the request to the throw, once delivered. */
    Optional<Duration> deliveryLatency();

    /**
     * The classes of the thread's stack that this kill had instrumented, because they ran code without kill
     * points and {@code on-demand} allowed it; empty if none.
     */
    default List<String> instrumentedOnDemand() {
        return List.of();
    }

    /** True once the thread has terminated, whether or not the kill was delivered. */
    boolean hasThreadEnded();

    /**
     * For a request that ended {@link KillStatus#ALREADY_BEING_KILLED}, the kill of the same thread it
     * coalesced with (pending, or delivered and still unwinding the thread); empty otherwise.
     */
    Optional<KillHandle> pendingKill();

    /**
     * Cancels the kill if it has not been delivered yet. The thread then runs on as if it had never been
     * asked; only a wake-up it may have had already (an interrupt, if it was waiting) cannot be undone.
     *
     * @return true if this call cancelled it; false if it was delivered, refused or over already
     */
    boolean cancel();

    /**
     * While the kill is pending, why it has not landed, read from the thread's stack now: in code
     * without kill points (which frame), in native code, BLOCKED on a monitor (held by which thread),
     * running cleanup code that the kill waits for, or not alive. Empty once the kill is delivered,
     * refused or over.
     */
    Optional<String> whyNotDelivered();

    /**
     * Waits until the kill is delivered or can no longer be (refused, or the thread ended).
     *
     * @return true if it was delivered
     */
    boolean awaitDelivery(Duration timeout) throws InterruptedException;

    /**
     * Waits until the thread has terminated.
     *
     * @return true if it has
     */
    boolean awaitThreadEnd(Duration timeout) throws InterruptedException;

    /** One line for people: what happened, or why not. {@code toString()} returns the same. */
    String describe();
}
