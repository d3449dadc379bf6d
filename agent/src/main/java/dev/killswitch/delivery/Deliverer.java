package dev.killswitch.delivery;

import dev.killswitch.KillStatus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that flips switches. Flipping a switch can block while the JVM deoptimises the
 * code that depends on it (a handshake with every thread), so it never happens in the thread that
 * asked for the kill.
 *
 * <p>For each pending kill it samples the victim's stack, arms the switch of the innermost selected
 * method on it (one deoptimisation, usually enough: the victim is most often looping there) and
 * interrupts the victim; a millisecond later it samples again and arms every selected method on the
 * stack, then samples more and more rarely until the kill is delivered or the thread ends; then it
 * releases the switches so that other threads get their fast path back.
 */
final class Deliverer implements Runnable {
    /** Re-sampling backs off from this interval... */
    private static final long FIRST_RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** ...to this one, which bounds how late a kill notices a victim entering new selected methods. */
    private static final long MAX_RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * The first sample arms only the innermost selected method: the victim is usually looping there, and
     * every switch flipped deoptimises code that other threads may be running too.
     */
    private static final int INNERMOST_ONLY_SAMPLES = 1;

    private static final ConcurrentLinkedQueue<KillRequest> INBOX = new ConcurrentLinkedQueue<>();
    private static volatile Thread thread;
    /** interrupt-kills=true: only then is InterruptKills loaded and asked for the interrupts it noted. */
    static volatile boolean decideInterrupts;

    private final List<KillRequest> active = new ArrayList<>();
    /** Released switches kept armed for a while (see {@link MethodSwitch}). */
    private final List<MethodSwitch> lingering = new ArrayList<>();

    private Deliverer() {
    }

    static void submit(KillRequest request) {
        INBOX.add(request);
        wake();
    }

    static void wake() {
        Thread t = thread;
        if (t == null) {
            t = start();
        }
        LockSupport.unpark(t);
    }

    static boolean isDelivererThread(Thread t) {
        return t == thread;
    }

    private static synchronized Thread start() {
        if (thread == null) {
            Thread t = new Thread(new Deliverer(), "killswitch-deliverer");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            t.start();
            thread = t;
        }
        return thread;
    }

    @Override
    public void run() {
        boolean reported = false;
        for (;;) {
            try {
                step();
            } catch (Throwable t) {
                // Never let the only delivering thread die.
                if (!reported) {
                    reported = true;
                    System.err.println("killswitch: internal error in the deliverer thread (kills continue): " + t);
                }
                LockSupport.parkNanos(this, MAX_RESAMPLE_NANOS);
            }
        }
    }

    private void step() {
        if (decideInterrupts) {
            InterruptKills.decide(); // interrupts of threads in selected code become requests
        }
        for (KillRequest r; (r = INBOX.poll()) != null; ) {
            active.add(r);
        }
        long next = Long.MAX_VALUE;
        for (Iterator<KillRequest> it = active.iterator(); it.hasNext(); ) {
            KillRequest request = it.next();
            if (request.status() == KillStatus.PENDING && !request.thread().isAlive()) {
                request.threadEnded();
            }
            if (request.status() != KillStatus.PENDING) {
                release(request);
                it.remove();
                continue;
            }
            if (System.nanoTime() - request.nextSampleNanos >= 0) {
                sampleAndArm(request);
            }
            next = Math.min(next, request.nextSampleNanos);
        }
        long now = System.nanoTime();
        for (Iterator<MethodSwitch> it = lingering.iterator(); it.hasNext(); ) {
            MethodSwitch s = it.next();
            if (s.disarmIfDue(now)) {
                it.remove();
            } else {
                next = Math.min(next, s.disarmAt);
            }
        }
        if (active.isEmpty() && lingering.isEmpty()) {
            LockSupport.park(this);
        } else if (INBOX.isEmpty()) {
            LockSupport.parkNanos(this, next - System.nanoTime());
        }
    }

    private static void sampleAndArm(KillRequest request) {
        Thread victim = request.thread();
        long start = System.nanoTime();
        StackTraceElement[] frames = request.presample != null ? request.presample : victim.getStackTrace();
        request.presample = null;
        long sampled = System.nanoTime();
        boolean first = request.samples == 0;
        boolean innermostOnly = request.samples < INNERMOST_ONLY_SAMPLES;
        List<MethodSwitch> newlyArmed = new ArrayList<>();
        StackTraceElement firstSelected = null;
        for (StackTraceElement frame : frames) {
            if (InstrumentedClasses.contains(frame.getClassName())) {
                if (firstSelected == null) {
                    firstSelected = frame;
                } else if (innermostOnly) {
                    break; // early passes: the innermost selected method only
                }
                List<MethodSwitch> candidates = Diagnosis.predatesAttach(frame)
                        ? SwitchRegistry.forClassOf(frame) : SwitchRegistry.forFrame(frame);
                for (MethodSwitch s : candidates) {
                    if (!request.armed.contains(s) && !newlyArmed.contains(s)) {
                        newlyArmed.add(s);
                    }
                }
            }
        }
        for (MethodSwitch s : newlyArmed) {
            if (request.status() != KillStatus.PENDING) {
                break; // delivered meanwhile: arming more would only deoptimise more
            }
            s.arm(sampled);
            request.armed.add(s);
        }
        long armed = System.nanoTime();
        request.sampled(frames);
        if (KillRuntime.debug() && (first || !newlyArmed.isEmpty())) {
            System.err.println("killswitch: kill of " + ThreadLabels.label(victim) + ": sample " + request.samples
                    + " took " + ThreadLabels.micros(sampled - start) + " (" + frames.length + " frames), arming "
                    + newlyArmed + " took " + ThreadLabels.micros(armed - sampled)
                    + "; " + ThreadLabels.millis(armed - request.requestedNanos()) + " since the request");
        }
        if (request.status() == KillStatus.PENDING && (first || isWaiting(victim))) {
            request.interruptThread();
        }
        if (request.status() == KillStatus.PENDING) {
            // Waits that ignore interrupts: close what the victim waits on, or say who holds its monitor.
            String closed = BlockingIo.closeWhatBlocks(victim);
            if (closed != null) {
                request.obstacle(closed);
            } else if (victim.getState() == Thread.State.BLOCKED) {
                request.obstacle(MonitorOwners.describe(victim));
            }
        }
        long interval = Math.min(MAX_RESAMPLE_NANOS, FIRST_RESAMPLE_NANOS << Math.min(request.samples - 1, 16));
        request.nextSampleNanos = System.nanoTime() + interval;
    }

    private static boolean isWaiting(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private void release(KillRequest request) {
        long now = System.nanoTime();
        for (MethodSwitch s : request.armed) {
            if (s.release(now) && !lingering.contains(s)) {
                lingering.add(s);
            }
        }
        request.armed.clear();
    }
}
