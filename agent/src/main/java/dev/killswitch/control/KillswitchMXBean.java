package dev.killswitch.control;

import java.util.List;

/**
 * The agent's management interface, registered as {@code dev.killswitch:type=Killswitch}. Only open
 * types, so JConsole, VisualVM, jmxterm, Jolokia and the Prometheus JMX exporter use it without the
 * agent's classes. Every operation answers in words a person can read in a JMX console.
 */
public interface KillswitchMXBean {

    /**
     * Kills the platform or virtual thread with this id; says what happened, or why not. The kill lands in
     * the selected code the thread runs, never inside its catch or finally blocks; a thread with no selected
     * code on its stack is left alone.
     */
    String kill(long threadId, String reason);

    /**
     * Kills the thread even inside cleanup code (catch and finally blocks, and what they call): for a thread
     * whose cleanup hangs after an ordinary kill, which this escalates if it is still pending. It can cut that
     * cleanup short; use it only for cleanup that would otherwise never end.
     */
    String escalate(long threadId, String reason);

    /**
     * Kills the thread when it next runs selected code, even in work it takes up later (the next task of a pool
     * thread), if it has none on its stack now. It is not woken meanwhile.
     */
    String killWhenInSelectedCode(long threadId, String reason);

    /** Cancels the pending kill of the thread, if it has one. */
    String cancelKill(long threadId);

    /**
     * Kills every thread whose whole name matches the regular expression (the JVM's and the agent's own
     * threads excepted). A pattern that backtracks without end on some name is stopped, and nothing is killed.
     */
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

    long getBlockingCallKillPoints();

    /**
     * Checks where catch and finally blocks end: a kill that was caught is raised again there, and a kill
     * that waited for the block is delivered.
     */
    long getCatchExitKillPoints();

    /** Classes instrumented by retransformation when the agent was attached to a running JVM. */
    long getRetransformedClasses();

    long getKillsRequested();

    long getKillsDelivered();

    long getKillsPending();

    long getKillsRefused();

    long getKillsEndedUndelivered();

    /** Kills cancelled before they were delivered. */
    long getKillsCancelled();

    /** Times a delivered kill was caught by selected code and raised again at the end of the catch block. */
    long getKillsReraised();

    double getDeliveryLatencyMeanMillis();

    /** Over the last {@link dev.killswitch.runtime.delivery.KillStats#LATENCY_WINDOW} (256) delivered kills. */
    double getDeliveryLatencyP50Millis();

    /** Over the last {@link dev.killswitch.runtime.delivery.KillStats#LATENCY_WINDOW} (256) delivered kills. */
    double getDeliveryLatencyP99Millis();

    /** Over the last {@link dev.killswitch.runtime.delivery.KillStats#LATENCY_WINDOW} (256) delivered kills. */
    double getDeliveryLatencyMaxMillis();
}
