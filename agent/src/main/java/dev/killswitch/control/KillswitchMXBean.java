package dev.killswitch.control;

import java.util.List;

/**
 * The agent's management interface, registered as {@code dev.killswitch:type=Killswitch}. Only open
 * types, so JConsole, VisualVM, jmxterm, Jolokia and the Prometheus JMX exporter use it without the
 * agent's classes. Every operation answers in words a person can read in a JMX console.
 */
public interface KillswitchMXBean {

    /** Kills the platform or virtual thread with this id; says what happened, or why not. */
    String kill(long threadId, String reason);

    /** Kills every thread whose name matches the regular expression (the agent's own threads excepted). */
    String killByName(String nameRegex, String reason);

    /** A thread's id, name, state, whether it runs selected code, its top frames, and its kill, if any. */
    String describeThread(long threadId);

    /** Every live platform thread (and the virtual threads the JDK lets the agent find). */
    List<ThreadView> threads();

    /** The last kill of a thread requested through this interface, as it stands now. */
    KillView killStatus(long threadId);

    boolean isActive();

    String getVersion();

    String[] getInclude();

    String[] getExclude();

    long getInstrumentedClasses();

    long getBackEdgeKillPoints();

    long getMethodEntryKillPoints();

    long getHandlerEntryKillPoints();

    long getBlockingCallKillPoints();

    /** Checks at the ends of catch blocks, where a kill that was caught is raised again. */
    long getCatchExitKillPoints();

    /** Classes instrumented by retransformation when the agent was attached to a running JVM. */
    long getRetransformedClasses();

    long getKillsRequested();

    long getKillsDelivered();

    long getKillsPending();

    long getKillsRefused();

    long getKillsEndedUndelivered();

    /** Times a delivered kill was caught by selected code and raised again at the end of the catch block. */
    long getKillsReraised();

    double getDeliveryLatencyMeanMillis();

    /** Over the last 256 delivered kills. */
    double getDeliveryLatencyP50Millis();

    /** Over the last 256 delivered kills. */
    double getDeliveryLatencyP99Millis();

    /** Over the last 256 delivered kills. */
    double getDeliveryLatencyMaxMillis();
}
