package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.runtime.AgentOnly;
import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.diagnosis.MonitorOwners;
import dev.killswitch.runtime.ondemand.OnDemand;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.MethodSwitch;
import dev.killswitch.runtime.registry.SwitchRegistry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The one thread that flips switches. Flipping a switch can block while the JVM deoptimises the
 * code that depends on it (a handshake with every thread), so it never happens in the thread that
 * asked for the kill.
 *
 * <p>For each pending kill it samples the victim's stack. With no selected code on it, the kill ends at
 * once and nothing is done to the thread (unless the kill was asked to wait for selected code: then it
 * only samples again, never waking the thread). Otherwise it arms the switches of the selected methods
 * on the stack (only one at first if the victim is running selected code, the one whose arming costs other
 * threads least, see {@link WhatToArm}: one deoptimisation at most, usually enough), and only then, if the victim is waiting, ends its wait ({@link WaitEnder}).
 * It samples again at growing intervals until the kill is settled, then records a delivered kill as
 * unwinding and releases the switches so that other threads get their fast path back.
 */
public final class SwitchArmer implements Runnable {
    /** Re-sampling backs off from this interval... */
    private static final long FIRST_RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** ...to this one, which bounds how late a kill notices a victim entering new selected methods. */
    private static final long MAX_RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * After arming the top method of a deep stack, the next (whole) sample waits this long: it stops the victim for
     * milliseconds, and a victim that meets its armed kill point walks its own deep stack first, for as long.
     */
    private static final long DEEP_RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How soon a sample put off while the thread looks at its own stack is due again. */
    private static final long LOOKING_RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Samples that found the top frame in old code of a class instrumented on demand, before the kill widens to its library. */
    private static final int WIDEN_AFTER_SAMPLES = 2;

    private static final ConcurrentLinkedQueue<KillRequest> INBOX = new ConcurrentLinkedQueue<>();
    private static volatile Thread thread;
    /** interrupt-kills=true: what turns the interrupts it noted into requests; null otherwise. */
    private static volatile Runnable interruptDecider;

    private final List<KillRequest> active = new ArrayList<>();
    /** Released switches kept armed for a while (see {@link MethodSwitch}). */
    private final List<MethodSwitch> lingering = new ArrayList<>();

    private SwitchArmer() {
    }

    static void submit(KillRequest request) {
        INBOX.add(request);
        wake();
    }

    public static void wake() {
        Thread t = thread;
        if (t == null) {
            t = start();
        }
        LockSupport.unpark(t);
    }

    /**
     * Set by the interrupt-kills retrofit when it is switched on, so that this core does not depend on it: run
     * before each round, it turns the interrupts of threads in selected code into requests. Runtime only.
     */
    public static void decideInterruptsWith(Runnable decider) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "change how interrupts become kills");
        interruptDecider = decider;
    }

    /**
     * Set when the runtime starts, so that this core does not depend on the blocking calls' room: ends the waits
     * that ignore interrupts by closing what the victim waits on, and says what it closed (null if nothing).
     * Runtime only.
     */
    public static void closeWaitsWith(Function<Thread, String> closer) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "change how the waits of victims end");
        WaitEnder.closeWaitsWith(closer);
    }

    public static boolean isDelivererThread(Thread t) {
        return t == thread;
    }

    private static synchronized Thread start() {
        if (thread == null) {
            Thread t = new Thread(new SwitchArmer(), "killswitch-deliverer");
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
        Runnable decider = interruptDecider;
        if (decider != null) {
            decider.run(); // interrupts of threads in selected code become requests
        }
        for (KillRequest r; (r = INBOX.poll()) != null; ) {
            active.add(r);
        }
        long next = Long.MAX_VALUE;
        for (Iterator<KillRequest> it = active.iterator(); it.hasNext(); ) {
            KillRequest request = it.next();
            if (request.status() == KillStatus.PENDING && !request.thread().isAlive()) {
                ended(request);
            }
            if (request.status() != KillStatus.PENDING) {
                settled(request);
                it.remove();
                continue;
            }
            if (System.nanoTime() - request.nextSampleNanos >= 0) {
                if (!putOff(request)) {
                    request.putOffFor = -1;
                    sampleAndArm(request);
                }
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
            Unwinding.forgetEnded();
            StackSamples.prepare(); // once, while nothing waits for this thread
            LockSupport.park(this);
        } else if (INBOX.isEmpty()) {
            LockSupport.parkNanos(this, next - System.nanoTime());
        }
    }

    /** The thread ended before the kill landed: at the end of another kill's unwinding, or of its own accord. */
    private static void ended(KillRequest request) {
        KillHandle other = Unwinding.latestHandleOf(request.thread());
        if (other != null && other != request && other.isDelivered()) {
            request.settle(KillStatus.ALREADY_BEING_KILLED, null, other);
        } else {
            request.settle(KillStatus.THREAD_ENDED, null, null);
        }
    }

    /** Bookkeeping the victim leaves to this thread, so that nothing stands between its decision and its throw. */
    private void settled(KillRequest request) {
        if (request.status() == KillStatus.DELIVERED) {
            request.trimTrace();
            if (!request.handled) {
                Unwinding.delivered(request.thread(), request.error(), request); // before it leaves PendingKills: no gap
            }
            KillStats.delivered(request.latencyNanos());
            StackTraceElement at = request.deliveredFrame();
            if (at != null) {
                long now = System.nanoTime();
                long victimId = ThreadLabels.id(request.thread());
                for (MethodSwitch s : SwitchRegistry.forFrame(at)) {
                    s.landedWhileLingering(now, victimId);
                }
            }
        }
        PendingKills.remove(request);
        release(request);
        KillRuntime.settled(request, request.requester);
    }

    private static void sampleAndArm(KillRequest request) {
        Thread victim = request.thread();
        long start = System.nanoTime();
        boolean first = request.samples == 0;
        StackTraceElement[] frames = request.presample;
        request.presample = null;
        if (frames == null && first && Unwinding.latestHandleOf(victim) == null) {
            frames = StackSamples.head(victim);
            if (StackSamples.partial(frames)) {
                if (armInnermostOfHead(request, frames, start)) {
                    return; // a deep stack, running selected code: the whole of it is looked at next time, if need be
                }
                frames = null;
            }
        }
        if (frames == null) {
            frames = StackSamples.whole(victim);
        }
        long sampled = System.nanoTime();
        KillHandle dyingOf = request.isEscalated() ? null : Unwinding.dyingOf(victim, frames);
        if (dyingOf != null && dyingOf != request) {
            // Rule 5: it coalesces with the kill the thread dies of (before anything is instrumented on demand for it).
            request.sampled(frames);
            request.settle(KillStatus.ALREADY_BEING_KILLED, null, dyingOf);
            return;
        }
        if (frames.length > 0 && request.mayInstrumentOnDemand && request.status() == KillStatus.PENDING) {
            // Code without kill points on top: give its classes kill points, where on-demand allows it. If the top frame
            // stays one of old code, its callees were inlined where no sample sees them: widen once, to its library.
            boolean widen = !request.widened && request.samples >= WIDEN_AFTER_SAMPLES && !WaitEnder.isWaiting(victim, frames)
                    && Diagnosis.predatesAttach(frames[0]);
            request.widened |= widen;
            int instrumented = OnDemand.innermostInstrumented(frames);
            List<String> added = OnDemand.instrumentAbove(frames, instrumented, widen);
            if (!added.isEmpty()) {
                request.instrumentedOnDemand(added);
                debug(request, "instrumented on demand " + added + " in " + ThreadLabels.micros(System.nanoTime() - sampled));
            }
            sampled = System.nanoTime(); // arming is timed from here
        }
        StackTraceElement innermost = null;
        int innermostAt = -1;
        for (StackTraceElement frame : frames) {
            innermostAt++;
            if (InstrumentedClasses.contains(frame.getClassName())) {
                innermost = frame;
                break;
            }
        }
        request.sampled(frames);
        if (frames.length == 0) {
            schedule(request); // starting or ending: look again
            return;
        }
        if (innermost == null) {
            if (!request.waitsForSelectedCode()) {
                StackTraceElement aim = request.aimedAt;
                if (aim != null) {
                    request.workEnded(aim);
                } else {
                    request.settle(KillStatus.NOT_IN_SELECTED_CODE, "it had no selected code on its stack (it is "
                            + Diagnosis.at(frames[0]) + "), so nothing was done to it: it was not interrupted, and the work"
                            + " it takes up later is not affected (ask with WAIT_FOR_SELECTED_CODE to kill it when it next"
                            + " runs selected code)", null);
                }
                debug(request, "no selected code on its stack: kill ended, nothing done to the thread");
                return;
            }
            request.obstacle("it has no selected code on its stack: the kill waits until it runs some (WAIT_FOR_SELECTED_CODE);"
                    + " it is not interrupted meanwhile");
            schedule(request);
            return;
        }
        if (request.aimedAt == null && !request.waitsForSelectedCode()) {
            request.aimedAt = WhatToArm.aimFor(frames);
        }
        // Running selected code: arm one method (usually enough). Waiting or in other code: all of them.
        boolean atKillPoint = innermost != null && WhatToArm.atItsKillPoint(frames, innermostAt);
        boolean oneOnly = first && (frames[0] == innermost || atKillPoint);
        Set<MethodSwitch> newlyArmed = new LinkedHashSet<>();
        Set<String> onDemand = request.instrumentedOnDemandSet();
        StackTraceElement firstToArm = oneOnly ? WhatToArm.firstToArm(frames, onDemand, sampled) : null;
        List<MethodSwitch> chosen = List.of();
        for (StackTraceElement frame : frames) {
            String className = frame.getClassName();
            if (firstToArm != null && frame != firstToArm) {
                continue;
            }
            if (InstrumentedClasses.contains(className)) {
                // A frame that may run old code: the methods of its class it calls are where it can be caught.
                boolean oldCode = Diagnosis.predatesAttach(frame) || onDemand.contains(className);
                List<MethodSwitch> switches = oldCode ? SwitchRegistry.forClassOf(frame) : SwitchRegistry.forFrame(frame);
                addNew(request, newlyArmed, switches);
                if (oneOnly) {
                    chosen = firstToArm != null ? switches : List.of();
                    break;
                }
            }
        }
        if (frames[0] != innermost && !atKillPoint && !WaitEnder.isWaiting(victim, frames)) {
            // Running code without kill points called by selected code, which may be calling back into it: a lambda
            // or closure of the selected class, too short to be seen on the stack. Arm that class and its nested ones.
            addNew(request, newlyArmed, SwitchRegistry.forClass(innermost.getClassName(), true));
        }
        // The classes instrumented on demand for it, on the stack now or not: their new methods link as they first run.
        addNew(request, newlyArmed, SwitchRegistry.forClasses(request.instrumentedOnDemandSet()));
        for (MethodSwitch s : newlyArmed) {
            if (request.status() != KillStatus.PENDING) {
                break; // delivered meanwhile: arming more would only deoptimise more
            }
            if (chosen.contains(s)) { // what was chosen, not the classes armed beside it
                s.armFirst(sampled);
            } else {
                s.arm(sampled);
            }
            request.armed.add(s);
        }
        long armed = System.nanoTime();
        if (KillRuntime.debug() && (first || !newlyArmed.isEmpty())) {
            debug(request, "sample " + request.samples + " took " + ThreadLabels.micros(sampled - start) + " (" + frames.length
                    + " frames), arming " + newlyArmed + " took " + ThreadLabels.micros(armed - sampled)
                    + "; " + ThreadLabels.millis(armed - request.requestedNanos()) + " since the request");
        }
        if (request.status() == KillStatus.PENDING && WaitEnder.isWaiting(victim, frames)) {
            WaitEnder.wake(request, victim);
        } else if (request.status() == KillStatus.PENDING && victim.getState() == Thread.State.BLOCKED) {
            request.obstacle(MonitorOwners.describe(victim)); // nothing can end that wait: say who holds the monitor
        }
        schedule(request);
    }

    /**
     * The first look at a deep stack: if its top frame runs new code of a selected class, arms that method's switch
     * alone, as the first look at any stack running selected code does, without the cost of the whole stack; the next
     * sample, if the kill is still pending by then, takes the whole stack. Only for a thread with no kill of its own
     * behind it (rule 5 needs the whole stack) and not waiting (a wake needs it).
     *
     * @return false if the whole stack is needed now
     */
    private static boolean armInnermostOfHead(KillRequest request, StackTraceElement[] head, long start) {
        StackTraceElement top = head[0];
        Thread victim = request.thread();
        if (!InstrumentedClasses.contains(top.getClassName()) || Diagnosis.predatesAttach(top)
                || InstrumentedClasses.wasInstrumentedOnDemand(top.getClassName()) || WaitEnder.isWaiting(victim, head)
                || victim.getState() != Thread.State.RUNNABLE) {
            return false;
        }
        long sampled = System.nanoTime();
        request.sampled(head);
        Set<MethodSwitch> newlyArmed = new LinkedHashSet<>();
        addNew(request, newlyArmed, SwitchRegistry.forFrame(top));
        for (MethodSwitch s : newlyArmed) {
            s.arm(sampled);
            request.armed.add(s);
        }
        debug(request, "sample 1 took " + ThreadLabels.micros(sampled - start) + " (the top " + head.length + " frames of a deeper"
                + " stack), arming " + newlyArmed + " took " + ThreadLabels.micros(System.nanoTime() - sampled));
        request.nextSampleNanos = System.nanoTime() + DEEP_RESAMPLE_NANOS;
        return true;
    }

    private static void addNew(KillRequest request, Set<MethodSwitch> newlyArmed, List<MethodSwitch> candidates) {
        for (MethodSwitch s : candidates) {
            if (!request.armed.contains(s)) {
                newlyArmed.add(s);
            }
        }
    }

    private static void schedule(KillRequest request) {
        long interval = Math.min(MAX_RESAMPLE_NANOS, FIRST_RESAMPLE_NANOS << Math.min(request.samples - 1, 16));
        request.nextSampleNanos = System.nanoTime() + interval;
    }

    /**
     * Puts the due sample off if the thread is deciding whether the kill lands where it is (a look at its own stack,
     * then the landing): reading that stack now would stop it (through the thread bean, every thread; for a deep
     * stack, for as long as the look itself) to learn what it is about to decide. A sample waits for one decision
     * only, so that a thread that decides again and again (cleanup code on a deep stack) still gets its samples.
     */
    static boolean putOff(KillRequest request) {
        int deciding = request.deciding;
        if (deciding == 0 || request.putOffFor >= 0 && request.putOffFor != deciding) {
            return false;
        }
        request.putOffFor = deciding;
        request.nextSampleNanos = System.nanoTime() + LOOKING_RESAMPLE_NANOS;
        if (!request.putOff) {
            request.putOff = true;
            debug(request, "sample " + (request.samples + 1) + " put off: the thread is looking at its own stack");
        }
        return true;
    }

    private static void debug(KillRequest request, String what) {
        if (KillRuntime.debug()) {
            System.err.println("killswitch: kill of " + request.label() + ": " + what);
        }
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
