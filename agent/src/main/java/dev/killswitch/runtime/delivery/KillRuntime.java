package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.runtime.AgentOnly;

/**
 * The agent's switch for the whole JVM: off until the agent has installed its transformer, so that
 * the public API answers sensibly in a JVM without the agent (in the manner of a do-nothing facade).
 */
public final class KillRuntime {
    private static final String NOT_LOADED = "the killswitch agent is not running in this JVM"
            + " (start it with -javaagent:killswitch-agent.jar=include=...)";

    private static volatile boolean active;
    private static volatile boolean debug;
    private static volatile String inactiveReason = NOT_LOADED;
    private static volatile KillOutcomes[] outcomes = new KillOutcomes[0];
    /** Private: KillRuntime.class is public, and anyone could hold its lock. */
    private static final Object LISTENERS_LOCK = new Object();

    private KillRuntime() {
    }

    /**
     * Lets kills in: called by {@code RuntimeStart.activate}, once the runtime is ready for them.
     *
     * @param debugOutput true to print what the arming thread does for each kill
     */
    public static void activate(boolean debugOutput) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "switch the killswitch agent on");
        debug = debugOutput;
        active = true;
    }

    public static boolean debug() {
        return debug;
    }

    /** Called by the agent when its configuration was rejected. */
    public static void disable(String why) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "switch the killswitch agent off");
        inactiveReason = "the killswitch agent is disabled: " + why;
        active = false;
    }

    public static boolean isActive() {
        return active;
    }

    /** Also tells {@code listener} how each kill ends (see {@link KillOutcomes}); null tells nobody any more. Agent only. */
    public static void reportOutcomesTo(KillOutcomes listener) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "change who hears of kills");
        synchronized (LISTENERS_LOCK) {
            if (listener == null) {
                outcomes = new KillOutcomes[0];
            } else {
                KillOutcomes[] next = java.util.Arrays.copyOf(outcomes, outcomes.length + 1);
                next[outcomes.length] = listener;
                outcomes = next;
            }
        }
    }

    /** Tells the listeners how {@code kill} ended; nothing they do reaches the caller. */
    static void settled(KillHandle kill, String requester) {
        for (KillOutcomes listener : outcomes) {
            try {
                listener.settled(kill, requester);
            } catch (RuntimeException | LinkageError e) {
                // a listener that fails loses its record of this kill, never the kill
            }
        }
    }

    /**
     * A kill the program's own cancellation asks for (interrupt-kills, stop-shim), with the default options: it lands
     * in the classes selected when the agent started and never instruments more (see {@link #kill(Thread, String,
     * boolean, boolean, boolean)}).
     */
    public static KillHandle kill(Thread thread, String reason) {
        return kill(thread, reason, false, false, false);
    }

    /** A kill someone asked for (the API, JMX, the command-line tool): it may instrument the victim's stack on demand. */
    public static KillHandle kill(Thread thread, String reason, boolean escalate, boolean waitForSelectedCode) {
        return kill(thread, reason, escalate, waitForSelectedCode, true);
    }

    /**
     * The one entry point of every kill: the API, JMX and the command-line tool, stop-shim, interrupt-kills
     * and deadlines all come here, so one rule decides what may be killed.
     *
     * @param escalate land even inside cleanup code; on a thread whose kill is pending, escalates that kill
     * @param waitForSelectedCode on a thread with no selected code on its stack, wait until it runs some
     * @param onDemand the classes of the victim's stack that run code without kill points may be instrumented
     *        (where the on-demand key allows): not for the retrofits, whose users chose with include where kills land
     */
    public static KillHandle kill(Thread thread, String reason, boolean escalate, boolean waitForSelectedCode, boolean onDemand) {
        long now = System.nanoTime();
        if (!active) {
            return refused(RefusedKill.agentInactive(thread, reason, inactiveReason));
        }
        if (!thread.isAlive()) {
            return refused(RefusedKill.notAlive(thread, reason));
        }
        String untouchable = SystemThreads.whyUntouchable(thread);
        if (untouchable != null) {
            return refused(RefusedKill.systemThread(thread, reason, untouchable));
        }
        KillRequest request = new KillRequest(thread, reason, now, escalate, waitForSelectedCode, onDemand);
        if (thread == Thread.currentThread()) {
            request.presample = thread.getStackTrace(); // a thread killing itself: what it runs now decides, not what it runs later
        }
        KillRequest pending;
        do { // a pending kill cancelled (or landed) meanwhile does not refuse this one
            pending = PendingKills.addUnlessPending(request);
        } while (pending != null && pending.status() != KillStatus.PENDING);
        if (pending != null) {
            if (escalate && !pending.isEscalated()) {
                pending.escalate();
                SwitchArmer.wake();
                return refused(RefusedKill.escalatedPending(thread, reason, pending));
            }
            return refused(RefusedKill.alreadyBeingKilled(thread, reason, pending));
        }
        KillStats.REQUESTED.increment();
        SwitchArmer.submit(request);
        return request;
    }

    private static KillHandle refused(KillHandle refusal) {
        settled(refusal, ThreadLabels.label(Thread.currentThread()));
        return refusal;
    }

    /** The pending kill of {@code thread}, whoever asked for it, or null. */
    public static KillHandle pendingKill(Thread thread) {
        return PendingKills.find(thread);
    }

    public static boolean isKillPending(Thread thread) {
        return PendingKills.find(thread) != null;
    }

    /** Cancels the pending kill of {@code thread}, if any. */
    public static boolean cancel(Thread thread) {
        KillRequest pending = PendingKills.find(thread);
        return pending != null && pending.cancel();
    }
}
