package dev.killswitch.compat.child;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The agent's kill-point totals, read from its MXBean as any JMX client would. */
final class AgentCounters {
    private static final String[] ATTRIBUTES = {"InstrumentedClasses", "BackEdgeKillPoints", "MethodEntryKillPoints",
            "BlockingCallKillPoints", "CatchExitKillPoints"};
    private static final long PATIENCE_MILLIS = 15_000;

    private AgentCounters() {
    }

    static void read(Results results) throws Exception {
        // The agent registers its MXBean once the platform MBean server exists; this creates it.
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.killswitch:type=Killswitch");
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (!server.isRegistered(name)) {
            if (System.currentTimeMillis() > deadline) {
                results.put("agent.mxbean", "not registered within " + PATIENCE_MILLIS + " ms");
                return;
            }
            Thread.sleep(20);
        }
        results.put("agent.mxbean", "registered");
        for (String attribute : ATTRIBUTES) {
            results.put("agent." + attribute, server.getAttribute(name, attribute));
        }
    }
}
