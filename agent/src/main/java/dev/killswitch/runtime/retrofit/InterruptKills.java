package dev.killswitch.runtime.retrofit;

import dev.killswitch.KillHandle;
import dev.killswitch.runtime.AgentOnly;
import dev.killswitch.runtime.delivery.KillRequest;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.delivery.PendingKills;
import dev.killswitch.runtime.delivery.StackSamples;
import dev.killswitch.runtime.delivery.SwitchArmer;
import dev.killswitch.runtime.delivery.ThreadLabels;
import dev.killswitch.runtime.diagnosis.Diagnosis;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code interrupt-kills=true}: an interrupt of a thread that is running selected code kills it.
 *
 * <p>The agent makes {@code Thread.interrupt()} (and {@code VirtualThread.interrupt()}, which overrides it)
 * call {@link #interrupting} first. That call only notes who interrupted whom and wakes the delivering
 * thread: it never blocks, never throws and takes no lock, because the interrupter may be anything
 * (a JDK pool, a timer, code holding locks). The delivering thread then samples the interrupted thread's
 * stack: with selected code on it, the interrupt becomes a kill; without, it stays a plain interrupt.
 * Threads that are never interrupted never pass here.
 */
public final class InterruptKills {
    private static final ConcurrentLinkedQueue<Interrupt> NOTED = new ConcurrentLinkedQueue<>();
    private static volatile boolean enabled;

    private InterruptKills() {
    }

    /** Called by the agent before it hooks {@code Thread.interrupt()}. Starts the delivering thread now, not in an interrupter. */
    public static void enable() {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "turn interrupts into kills");
        enabled = true;
        SwitchArmer.decideInterruptsWith(Decider.INSTANCE);
        SwitchArmer.wake();
    }

    /**
     * The first thing {@code Thread.interrupt()} does once the agent has hooked it, in the interrupting
     * thread. Interrupts a thread sends itself (restoring its interrupt status after catching
     * {@code InterruptedException}) and those the delivering thread sends to wake its victims are not kills.
     */
    public static void interrupting(Thread target) {
        if (!enabled) {
            return;
        }
        try {
            Thread me = Thread.currentThread();
            if (target == me || SwitchArmer.isDelivererThread(me)) {
                return;
            }
            NOTED.add(new Interrupt(target, me));
            SwitchArmer.wake();
        } catch (Throwable ignored) {
            // Never disturb an interrupt: at worst it stays a plain interrupt.
        }
    }

    /** Delivering thread: turns each interrupt noted since the last call into a kill, if its target runs selected code. */
    public static void decide() {
        if (NOTED.isEmpty()) {
            return;
        }
        Set<Thread> decided = new HashSet<>(); // a burst of interrupts of one thread costs one sample
        for (Interrupt i; (i = NOTED.poll()) != null; ) {
            Thread target = i.target;
            if (!decided.add(target) || !target.isAlive() || PendingKills.find(target) != null) {
                continue;
            }
            StackTraceElement[] stack = StackSamples.whole(target);
            StackTraceElement selected = Diagnosis.firstSelected(stack);
            if (selected == null) {
                if (KillRuntime.debug()) {
                    System.err.println("killswitch: interrupt of " + ThreadLabels.label(target) + " by " + ThreadLabels.label(i.interrupter)
                            + " left as it is: no selected code on its stack");
                }
                continue;
            }
            KillHandle kill = KillRuntime.kill(target, "interrupted by " + ThreadLabels.label(i.interrupter) + " (interrupt-kills=true)");
            if (kill instanceof KillRequest) {
                ((KillRequest) kill).presample = stack; // this thread delivers it, later in this step: no second sample
            }
            if (KillRuntime.debug()) {
                System.err.println("killswitch: interrupt of " + ThreadLabels.label(target) + " by " + ThreadLabels.label(i.interrupter)
                        + " while it runs selected code at " + Diagnosis.frame(selected) + ": killing it (interrupt-kills=true; decided "
                        + ThreadLabels.millis(System.nanoTime() - i.nanos) + " after the interrupt)");
            }
        }
    }

    private static final class Interrupt {
        final Thread target;
        final Thread interrupter;
        final long nanos = System.nanoTime();

        Interrupt(Thread target, Thread interrupter) {
            this.target = target;
            this.interrupter = interrupter;
        }
    }

    /** What the arming thread runs at each step (a class, as the runtime's other callbacks are). */
    private static final class Decider implements Runnable {
        static final Decider INSTANCE = new Decider();

        @Override
        public void run() {
            decide();
        }
    }
}
