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
 * <p>For each pending kill it samples the victim's stack, arms the switch of every selected method
 * on it (top frame first) and interrupts the victim; it samples again, more and more rarely, until the
 * kill is delivered or the thread ends, then disarms promptly so that other threads get their fast
 * path back.
 */
final class Deliverer implements Runnable {
    /** Re-sampling backs off from this interval... */
    private static final long FIRST_RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** ...to this one, which bounds how late a kill notices a victim entering new selected methods. */
    private static final long MAX_RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final ConcurrentLinkedQueue<KillRequest> INBOX = new ConcurrentLinkedQueue<>();
    private static volatile Thread thread;

    private final List<KillRequest> active = new ArrayList<>();

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
                disarm(request);
                it.remove();
                continue;
            }
            if (System.nanoTime() - request.nextSampleNanos >= 0) {
                sampleAndArm(request);
            }
            next = Math.min(next, request.nextSampleNanos);
        }
        if (active.isEmpty()) {
            LockSupport.park(this);
        } else if (INBOX.isEmpty()) {
            LockSupport.parkNanos(this, next - System.nanoTime());
        }
    }

    private static void sampleAndArm(KillRequest request) {
        Thread victim = request.thread();
        long start = System.nanoTime();
        StackTraceElement[] frames = victim.getStackTrace();
        long sampled = System.nanoTime();
        List<MethodSwitch> newlyArmed = new ArrayList<>();
        StackTraceElement firstSelected = null;
        for (StackTraceElement frame : frames) {
            if (InstrumentedClasses.contains(frame.getClassName())) {
                if (firstSelected == null) {
                    firstSelected = frame;
                }
                SwitchRegistry.forFrame(frame, s -> {
                    if (request.armed.add(s)) {
                        newlyArmed.add(s);
                    }
                });
            }
        }
        // Top frames first: the victim is most likely looping in the innermost selected method.
        for (MethodSwitch s : newlyArmed) {
            if (request.status() != KillStatus.PENDING) {
                break;
            }
            s.arm();
        }
        long armed = System.nanoTime();
        boolean first = request.samples == 0;
        request.sampled(frames.length == 0 ? null : frames[0], firstSelected);
        if (KillRuntime.debug() && (first || !newlyArmed.isEmpty())) {
            System.err.println("killswitch: kill of " + ThreadLabels.label(victim) + ": sample " + request.samples
                    + " took " + ThreadLabels.micros(sampled - start) + " (" + frames.length + " frames), arming "
                    + newlyArmed.size() + " method switch(es) took " + ThreadLabels.micros(armed - sampled)
                    + "; " + ThreadLabels.millis(armed - request.requestedNanos()) + " since the request");
        }
        if (request.status() == KillStatus.PENDING && (first || isWaiting(victim))) {
            request.interruptThread();
        }
        long interval = Math.min(MAX_RESAMPLE_NANOS, FIRST_RESAMPLE_NANOS << Math.min(request.samples - 1, 16));
        request.nextSampleNanos = System.nanoTime() + interval;
    }

    private static boolean isWaiting(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private static void disarm(KillRequest request) {
        for (MethodSwitch s : request.armed) {
            s.disarm();
        }
        request.armed.clear();
    }
}
