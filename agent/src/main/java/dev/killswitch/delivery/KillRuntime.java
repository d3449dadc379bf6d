package dev.killswitch.delivery;

import dev.killswitch.KillHandle;

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

    private KillRuntime() {
    }

    /**
     * Called by the agent once kill points can be inserted.
     *
     * @param debugOutput true to print what the deliverer does for each kill
     */
    public static void activate(boolean debugOutput) {
        debug = debugOutput;
        active = true;
    }

    static boolean debug() {
        return debug;
    }

    /** Called by the agent when its configuration was rejected. */
    public static void disable(String why) {
        inactiveReason = "the killswitch agent is disabled: " + why;
        active = false;
    }

    public static boolean isActive() {
        return active;
    }

    public static KillHandle kill(Thread thread, String reason) {
        long now = System.nanoTime();
        if (!active) {
            return RefusedKill.agentInactive(thread, reason, inactiveReason);
        }
        if (!thread.isAlive()) {
            return RefusedKill.notAlive(thread, reason);
        }
        KillRequest request = new KillRequest(thread, reason, now);
        KillRequest pending = PendingKills.addUnlessPending(request);
        if (pending != null) {
            return RefusedKill.alreadyBeingKilled(thread, reason, pending);
        }
        KillStats.REQUESTED.increment();
        Deliverer.submit(request);
        return request;
    }

    public static boolean isKillPending(Thread thread) {
        return PendingKills.find(thread) != null;
    }
}
