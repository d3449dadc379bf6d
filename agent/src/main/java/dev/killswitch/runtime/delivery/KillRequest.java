package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.registry.MethodSwitch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An accepted kill: the handle users hold, and the state the deliverer and the victim share. Its status
 * changes only under its lock, and only from {@code PENDING}: to {@code DELIVERED} in the victim (see
 * {@link Landing}), to any other final status in the deliverer or in whoever cancels it.
 */
public final class KillRequest implements KillHandle {
    /** Longest a waiter sleeps before it looks at the status again (a wake-up the victim could not send is not lost). */
    private static final long AWAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Thread thread;
    /** The thread's name when the kill was asked. */
    private final String threadName;
    private final String reason;
    /** Who asked, as {@code thread N "name"}. */
    final String requester;
    private final long requestedNanos;
    private final Instant requestedAt;
    private final boolean waitForSelectedCode;
    /** Asked for by someone (not a retrofit): may instrument the thread's stack on demand. */
    final boolean mayInstrumentOnDemand;
    private volatile boolean escalated;

    private volatile KillStatus status = KillStatus.PENDING;
    /** Made with the request, so that the victim needs as little stack as possible to throw it. */
    private final ThreadKilledError error;
    private volatile long deliveredNanos;
    /** For ALREADY_BEING_KILLED: the kill this one coalesced with. */
    private volatile KillHandle coalescedWith;
    /** Why it ended undelivered, for NOT_IN_SELECTED_CODE and CANCELLED. */
    private volatile String endedBecause;
    /** Under the lock: the deliverer interrupted the thread for this kill, and whether it was interrupted before. */
    private boolean interruptSent;
    private boolean clearInterruptOnDelivery;
    /** Under the lock: the wake-up reached a wait in cleanup code, which waited on; the thread is not woken again. */
    private volatile boolean wakeUpSpent;
    /** SwitchArmer thread: the socket the thread waited on was closed for this kill. */
    boolean socketClosed;

    /** Delivered, then caught for good ({@code callWithDeadline}): not to be recorded as unwinding. */
    public volatile boolean handled;
    /** Victim: a landing ran out of stack; later ones do the least they can, and the deliverer trims the trace. */
    volatile boolean lowStack;
    /** The error's stack trace starts at the kill point (the runtime's frames are trimmed). */
    volatile boolean trimmed;
    /** Victim: a kill point found it in cleanup code; it does not look again before this time, nor for this long after. */
    volatile long recheckAt;
    volatile long recheckWait;
    /**
     * Victim: the number of the decision under way of whether the kill lands where it is (a look at its own stack,
     * then the landing), or 0 between decisions; {@link #decisions} counts them (only the victim writes either).
     */
    volatile int deciding;
    int decisions;
    /** Victim: what the kill waits for, as last seen at a kill point (cleanup code, say), or null. */
    volatile Waiting waitsFor;
    /** The outermost selected frame on the thread's stack when the kill was first looked at: the work it is aimed at. */
    volatile StackTraceElement aimedAt;

    /** What the last stack sample saw; read by {@link #describe()}. */
    private volatile StackTraceElement lastTopFrame;
    private volatile StackTraceElement[] lastStack = new StackTraceElement[0];
    /** What keeps the kill from landing, or what was done about it, if anything is known. */
    private volatile String obstacle;
    /** The classes on the thread's stack that this kill had instrumented on demand, in order. */
    private volatile List<String> onDemand = List.of();
    private final Set<String> onDemandSet = new HashSet<>();

    // Touched by the deliverer thread only.
    final Set<MethodSwitch> armed = new HashSet<>();
    /** A sample taken just before the request (interrupt-kills), used as the first: one stack sample less. */
    public StackTraceElement[] presample;
    long nextSampleNanos;
    int samples;
    /** On demand, the kill went on to the library of a frame of old code (see OnDemand). */
    boolean widened;
    /** A sample was put off because the thread was looking at its own stack (said once, when debugging). */
    boolean putOff;
    /** The decision of the thread's that the sample due now waits for, or -1: a sample waits for one decision only. */
    int putOffFor = -1;

    KillRequest(Thread thread, String reason, long requestedNanos, boolean escalated, boolean waitForSelectedCode, boolean onDemand) {
        this.mayInstrumentOnDemand = onDemand;
        this.thread = thread;
        this.threadName = thread.getName();
        this.reason = reason;
        this.requester = ThreadLabels.label(Thread.currentThread());
        this.requestedNanos = requestedNanos;
        this.requestedAt = Instant.now();
        this.nextSampleNanos = requestedNanos;
        this.escalated = escalated;
        this.waitForSelectedCode = waitForSelectedCode;
        this.error = new ThreadKilledError(reason);
        this.recheckAt = requestedNanos;
    }

    public long requestedNanos() {
        return requestedNanos;
    }

    public boolean isEscalated() {
        return escalated;
    }

    void escalate() {
        escalated = true;
        recheckAt = 0;
    }

    boolean waitsForSelectedCode() {
        return waitForSelectedCode;
    }

    public ThreadKilledError error() {
        return error;
    }

    /**
     * Victim: the decision. Only field writes follow the status check (the interrupt this kill sent is
     * cleared before it), so nothing can fail between deciding and the throw that follows.
     *
     * @return true if the kill is now delivered and the caller must throw {@code e} at once
     */
    boolean commit(long nanos) {
        synchronized (this) {
            if (status != KillStatus.PENDING) {
                return false;
            }
            if (interruptSent && clearInterruptOnDelivery) {
                interruptSent = false; // if clearing fails, the deliverer may wake it again
                Thread.interrupted(); // the interrupt only served to wake the thread; cleanup should not trip over it
            }
            deliveredNanos = nanos;
            status = KillStatus.DELIVERED;
            try {
                notifyAll();
            } catch (Throwable ignored) {
                // waiters look again within AWAIT_SLICE_NANOS
            }
            return true;
        }
    }

    /** Ends the request undelivered with a final status; false if it was no longer pending. */
    public boolean settle(KillStatus end, String because, KillHandle with) {
        synchronized (this) {
            if (status != KillStatus.PENDING) {
                return false;
            }
            endedBecause = because;
            coalescedWith = with;
            status = end;
            notifyAll();
        }
        // It stays in PendingKills until the deliverer clears it away: the victim may still need to know it was its own.
        if (end == KillStatus.THREAD_ENDED) {
            KillStats.ENDED_UNDELIVERED.increment();
        }
        SwitchArmer.wake(); // to release its switches
        return true;
    }

    /**
     * The thread left the work the kill was aimed at ({@link #aimedAt}) before reaching a kill point: the kill
     * ends undelivered, and what the thread runs now is left alone. False if it was no longer pending.
     */
    boolean workEnded(StackTraceElement aim) {
        return settle(KillStatus.NOT_IN_SELECTED_CODE, "the thread left the selected code the kill was aimed at ("
                + aim.getClassName() + "." + aim.getMethodName() + ") before reaching a kill point; the work it runs now"
                + " is left alone", null);
    }

    /**
     * SwitchArmer thread: wakes the thread from interruptible waits, once, and only while this kill is pending;
     * again only after a wake-up spent in cleanup code, once the deliverer sees the thread out of it.
     */
    void interruptThread(boolean outOfCleanup) {
        synchronized (this) {
            if (status != KillStatus.PENDING || interruptSent || wakeUpSpent && !escalated && !outOfCleanup) {
                return;
            }
            wakeUpSpent = false;
            interruptSent = true;
            clearInterruptOnDelivery = !thread.isInterrupted();
            thread.interrupt();
        }
    }

    /**
     * Victim: an interrupt just ended a wait in cleanup code, where this kill may not land. If it was this
     * kill's own wake-up (the thread was not interrupted before), the wait goes on as if nothing had
     * happened, and the thread is not woken again for this kill unless it is escalated.
     *
     * @return true if the interrupt was this kill's wake-up
     */
    public boolean swallowWakeUp() {
        synchronized (this) {
            if (!interruptSent || !clearInterruptOnDelivery
                    || status != KillStatus.PENDING && status != KillStatus.NOT_IN_SELECTED_CODE && status != KillStatus.CANCELLED) {
                return false; // someone else's interrupt, or the kill's own after it landed
            }
            interruptSent = false;
            wakeUpSpent = status == KillStatus.PENDING;
            return true;
        }
    }

    /**
     * Victim: a look at its stack found no cleanup code, so a wait it enters later may be woken for this kill
     * again (the wake-up it spent was in cleanup code).
     */
    void leftCleanup() {
        waitsFor = null;
        recheckWait = 0;
        if (wakeUpSpent) {
            synchronized (this) {
                wakeUpSpent = false;
            }
        }
    }

    /**
     * Victim, after its kill ended undelivered: true if the interrupt this kill sent it is still outstanding
     * and was the only one (the caller then clears it: it was for work that has ended).
     */
    boolean takeOwnInterrupt() {
        synchronized (this) {
            if (!interruptSent || !clearInterruptOnDelivery) {
                return false;
            }
            interruptSent = false;
            return true;
        }
    }

    /** SwitchArmer thread: the kill's wake-up was spent in cleanup code; it is sent again only once the thread has left it. */
    boolean wakeUpSpent() {
        return wakeUpSpent;
    }

    /** SwitchArmer thread: records what stands in the kill's way. */
    void obstacle(String what) {
        obstacle = what;
    }

    /** Deliverer thread: these classes on the thread's stack were instrumented on demand for this kill. */
    void instrumentedOnDemand(List<String> classes) {
        List<String> all = new ArrayList<>(onDemand);
        all.addAll(classes);
        onDemand = List.copyOf(all);
        onDemandSet.addAll(classes);
    }

    @Override
    public List<String> instrumentedOnDemand() {
        return onDemand;
    }

    /** Deliverer thread: the same, to look names up in. */
    Set<String> instrumentedOnDemandSet() {
        return onDemandSet;
    }

    /** SwitchArmer thread: records what a stack sample saw. */
    void sampled(StackTraceElement[] stack) {
        lastStack = stack;
        lastTopFrame = stack.length == 0 ? null : stack[0];
        samples++;
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public String threadName() {
        return threadName;
    }

    /** {@code thread N "name"}, named as it was when the kill was asked. */
    String label() {
        return ThreadLabels.label(thread, threadName);
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
        return isDelivered() ? Optional.ofNullable(deliveredFrame()) : Optional.empty();
    }

    /** The frame the error was thrown in: the first of its trace that is not the runtime's. */
    StackTraceElement deliveredFrame() {
        StackTraceElement[] trace = Landing.withoutRuntimeFrames(error.getStackTrace());
        return trace.length == 0 ? null : trace[0];
    }

    /** SwitchArmer, after the kill landed: trims the runtime's frames, if the victim had no stack left to do it. */
    void trimTrace() {
        if (!trimmed) {
            error.setStackTrace(Landing.withoutRuntimeFrames(error.getStackTrace()));
            trimmed = true;
        }
    }

    @Override
    public Optional<Instant> deliveredTime() {
        return isDelivered() ? Optional.of(requestedAt.plusNanos(deliveredNanos - requestedNanos)) : Optional.empty();
    }

    @Override
    public Optional<Duration> deliveryLatency() {
        return isDelivered() ? Optional.of(Duration.ofNanos(deliveredNanos - requestedNanos)) : Optional.empty();
    }

    public long latencyNanos() {
        return deliveredNanos - requestedNanos;
    }

    @Override
    public boolean hasThreadEnded() {
        return !thread.isAlive();
    }

    @Override
    public Optional<KillHandle> pendingKill() {
        return Optional.ofNullable(coalescedWith);
    }

    @Override
    public boolean cancel() {
        if (!settle(KillStatus.CANCELLED, "cancelled before it was delivered", null)) {
            return false;
        }
        KillStats.CANCELLED.increment();
        return true;
    }

    @Override
    public boolean awaitDelivery(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            for (long left; status == KillStatus.PENDING && (left = deadline - System.nanoTime()) > 0; ) {
                long slice = Math.min(left, AWAIT_SLICE_NANOS);
                wait(slice / 1_000_000, (int) (slice % 1_000_000));
            }
        }
        return isDelivered();
    }

    @Override
    public boolean awaitThreadEnd(Duration timeout) throws InterruptedException {
        return ThreadLabels.join(thread, timeout);
    }

    @Override
    public String describe() {
        return KillText.describe(this);
    }

    // For KillText: what the request knows beyond its handle.
    String endedBecause() {
        return endedBecause;
    }

    StackTraceElement lastTopFrame() {
        return lastTopFrame;
    }

    StackTraceElement[] lastStack() {
        return lastStack;
    }

    String obstacle() {
        return obstacle;
    }

    @Override
    public Optional<String> whyNotDelivered() {
        if (status != KillStatus.PENDING) {
            return Optional.empty();
        }
        String why = KillText.waitingFor(this);
        return Optional.of(why != null ? why : Diagnosis.of(thread));
    }

    @Override
    public String toString() {
        return describe();
    }
}
