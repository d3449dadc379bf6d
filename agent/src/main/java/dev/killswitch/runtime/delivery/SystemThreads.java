package dev.killswitch.runtime.delivery;

/**
 * The one rule, for every way of asking for a kill (the API, JMX, the command-line tool, stop-shim,
 * interrupt-kills), of which threads are never killed: the agent's own threads and the JVM's system
 * threads (reference handling, finalizers, signals, attach, JMX and RMI service threads, cleaners, the
 * carriers of virtual threads). They run no selected code of their own, and a kill that landed in an
 * application callback they run would take a JVM service down with it.
 */
public final class SystemThreads {
    private SystemThreads() {
    }

    /** Why {@code t} is never killed, or null if it may be. */
    public static String whyUntouchable(Thread t) {
        // The agent's threads are all named killswitch-... (the deliverer, the deadline watchdog, the GC hint).
        if (SwitchArmer.isDelivererThread(t) || t.getName().startsWith("killswitch-")) {
            return "one of the agent's own threads";
        }
        ThreadGroup group = t.getThreadGroup();
        if (group != null && isSystemGroup(group)) {
            return "a JVM system thread (thread group \"" + group.getName() + "\")";
        }
        return null;
    }

    /**
     * The root group ("system") and the JDK's groups directly under it ("InnocuousThreadGroup", RMI's
     * "RMI Runtime", "CarrierThreads"); application threads live in "main", its descendants, or
     * "VirtualThreads".
     */
    private static boolean isSystemGroup(ThreadGroup group) {
        ThreadGroup parent = group.getParent();
        return parent == null || parent.getParent() == null && !group.getName().equals("main") && !group.getName().equals("VirtualThreads");
    }
}
