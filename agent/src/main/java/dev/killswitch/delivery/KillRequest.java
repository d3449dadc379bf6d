package dev.killswitch.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.ThreadKilledError;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An accepted kill: the handle users hold, and the state the deliverer and the victim share. */
final class KillRequest implements KillHandle {
    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(KillRequest.class, "status", KillStatus.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread thread;
    private final String reason;
    private final long requestedNanos;
    private final Instant requestedAt;
    private final CountDownLatch settled = new CountDownLatch(1);

    @SuppressWarnings("unused") // written through STATUS
    private volatile KillStatus status = KillStatus.PENDING;
    private volatile StackTraceElement deliveredAt;
    private volatile long deliveredNanos;
    private volatile Instant deliveredTime;
    /** True if the thread was not interrupted when the kill first interrupted it. */
    private volatile boolean clearInterruptOnDelivery;

    /** What the last stack sample saw; read by {@link #describe()}. */
    private volatile StackTraceElement lastTopFrame;
    private volatile StackTraceElement[] lastStack = new StackTraceElement[0];
    /** What keeps the kill from landing, or what was done about it, if anything is known. */
    private volatile String obstacle;

    // Touched by the deliverer thread only.
    final Set<MethodSwitch> armed = new HashSet<>();
    /** A sample taken just before the request (interrupt-kills), used as the first: one stack sample less. */
    StackTraceElement[] presample;
    long nextSampleNanos;
    int samples;
    private boolean interrupted;

    KillRequest(Thread thread, String reason, long requestedNanos) {
        this.thread = thread;
        this.reason = reason;
        this.requestedNanos = requestedNanos;
        this.requestedAt = Instant.now();
        this.nextSampleNanos = requestedNanos;
    }

    long requestedNanos() {
        return requestedNanos;
    }

    /** Runs in the victim, at an armed kill point: throws unless the kill was already settled. */
    void deliverHere() {
        if (status != KillStatus.PENDING) {
            return;
        }
        long now = System.nanoTime();
        ThreadKilledError error = new ThreadKilledError(reason);
        StackTraceElement[] trace = withoutRuntimeFrames(error.getStackTrace());
        error.setStackTrace(trace);
        deliveredAt = trace.length > 0 ? trace[0] : null;
        deliveredNanos = now;
        deliveredTime = Instant.now();
        if (!STATUS.compareAndSet(this, KillStatus.PENDING, KillStatus.DELIVERED)) {
            return;
        }
        PendingKills.remove(this);
        if (clearInterruptOnDelivery) {
            // The interrupt only served to wake the thread; cleanup code should not trip over it.
            Thread.interrupted();
        }
        KillStats.delivered(now - requestedNanos);
        Unwinding.delivered(thread, error);
        settled.countDown();
        Deliverer.wake();
        throw error;
    }

    /** Deliverer thread: the thread ended without reaching a kill point. */
    void threadEnded() {
        if (STATUS.compareAndSet(this, KillStatus.PENDING, KillStatus.THREAD_ENDED)) {
            PendingKills.remove(this);
            KillStats.ENDED_UNDELIVERED.increment();
            settled.countDown();
        }
    }

    /** Deliverer thread: wakes the thread from interruptible waits. */
    void interruptThread() {
        if (!interrupted) {
            interrupted = true;
            clearInterruptOnDelivery = !thread.isInterrupted();
        }
        thread.interrupt();
    }

    /** Deliverer thread: records what stands in the kill's way. */
    void obstacle(String what) {
        obstacle = what;
    }

    /** Deliverer thread: records what a stack sample saw. */
    void sampled(StackTraceElement[] stack) {
        lastStack = stack;
        lastTopFrame = stack.length == 0 ? null : stack[0];
        samples++;
    }

    private static StackTraceElement[] withoutRuntimeFrames(StackTraceElement[] trace) {
        int skip = 0;
        while (skip < trace.length && isRuntimeFrame(trace[skip].getClassName())) {
            skip++;
        }
        return skip == 0 ? trace : Arrays.copyOfRange(trace, skip, trace.length);
    }

    private static boolean isRuntimeFrame(String className) {
        return className.startsWith("dev.killswitch.delivery.") || className.startsWith("java.lang.invoke.");
    }

    @Override
    public Thread thread() {
        return thread;
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
        return isDelivered() ? Optional.ofNullable(deliveredAt) : Optional.empty();
    }

    @Override
    public Optional<Instant> deliveredTime() {
        return isDelivered() ? Optional.of(deliveredTime) : Optional.empty();
    }

    @Override
    public Optional<Duration> deliveryLatency() {
        return isDelivered() ? Optional.of(Duration.ofNanos(deliveredNanos - requestedNanos)) : Optional.empty();
    }

    @Override
    public boolean hasThreadEnded() {
        return !thread.isAlive();
    }

    @Override
    public Optional<KillHandle> pendingKill() {
        return Optional.empty();
    }

    @Override
    public boolean awaitDelivery(Duration timeout) throws InterruptedException {
        settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return isDelivered();
    }

    @Override
    public boolean awaitThreadEnd(Duration timeout) throws InterruptedException {
        return ThreadLabels.join(thread, timeout);
    }

    @Override
    public String describe() {
        String who = ThreadLabels.label(thread);
        switch (status) {
            case DELIVERED:
                return "kill of " + who + " delivered after " + ThreadLabels.millis(deliveredNanos - requestedNanos)
                        + " at " + (deliveredAt == null ? "an unknown frame" : deliveredAt)
                        + (hasThreadEnded() ? "; the thread has ended" : "; the thread is still running (unwinding, or it caught the error)");
            case THREAD_ENDED:
                return "kill of " + who + " not delivered: the thread ended before it reached a kill point";
            default:
                return "kill of " + who + " pending for " + ThreadLabels.millis(System.nanoTime() - requestedNanos)
                        + "; " + whereNow();
        }
    }

    private String whereNow() {
        StackTraceElement top = lastTopFrame;
        if (samples == 0 && top == null) {
            return "its stack has not been sampled yet";
        }
        String blocked = obstacle;
        if (blocked != null) {
            return blocked + (top == null ? "" : " (now at " + Diagnosis.frame(top) + ")");
        }
        return Diagnosis.ofStack(lastStack, thread.getState());
    }

    @Override
    public Optional<String> whyNotDelivered() {
        return status == KillStatus.PENDING ? Optional.of(Diagnosis.of(thread)) : Optional.empty();
    }

    @Override
    public String toString() {
        return describe();
    }
}
