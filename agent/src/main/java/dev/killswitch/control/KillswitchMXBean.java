package dev.killswitch.control;

import java.util.List;

/**
 * The agent's management interface, registered as {@code dev.killswitch:type=Killswitch}. Only open
 * types, so JConsole, VisualVM, jmxterm, Jolokia and the Prometheus JMX exporter use it without the
 * agent's classes. Every kill operation answers with the kill as it stands ({@link KillView}: status, where it
 * landed, latency, and one sentence for people), and refuses a bad argument (no such thread, not a pattern) with
 * {@code IllegalArgumentException} and a sentence, so that JSON bridges report an error. What each operation,
 * attribute and parameter is, is said once, in its {@link Described} annotation, which JMX clients show.
 */
public interface KillswitchMXBean {

    @Described("Kills the platform or virtual thread with this id and answers with the kill as it stands: delivered"
            + " where and how fast, pending and why, or refused and why. The kill lands in the selected code the thread"
            + " runs, never inside its catch or finally blocks; a thread with no selected code on its stack is left alone."
            + " Waits up to 250 ms for the kill to land. No such thread: IllegalArgumentException.")
    KillView kill(@Described(name = "threadId", value = "The id of the thread, as the threads operation, jstack or Thread.getId() give it") long threadId, @Described(name = "reason", value = "Why, for the log: the message of the ThreadKilledError (blank: killed through JMX)") String reason);

    @Described("Kills the thread even inside cleanup code (catch and finally blocks, and what they call): for a thread"
            + " whose cleanup hangs after an ordinary kill, which this escalates if it is still pending. It can cut that"
            + " cleanup short; use it only for cleanup that would otherwise never end.")
    KillView escalate(@Described(name = "threadId", value = "The id of the thread, as the threads operation, jstack or Thread.getId() give it") long threadId, @Described(name = "reason", value = "Why, for the log: the message of the ThreadKilledError (blank: killed through JMX)") String reason);

    @Described("Kills the thread when it next runs selected code, even in work it takes up later (the next task of a"
            + " pool thread), if it has none on its stack now. It is not woken meanwhile.")
    KillView killWhenInSelectedCode(@Described(name = "threadId", value = "The id of the thread, as the threads operation, jstack or Thread.getId() give it") long threadId, @Described(name = "reason", value = "Why, for the log: the message of the ThreadKilledError (blank: killed through JMX)") String reason);

    @Described("Cancels the pending kill of the thread, if it has one; the thread runs on as if never asked. Answers"
            + " with status CANCELLED, or NONE if there was no pending kill.")
    KillView cancelKill(@Described(name = "threadId", value = "The id of the thread, as the threads operation, jstack or Thread.getId() give it") long threadId);

    @Described("Kills every thread whose whole name matches the regular expression (the JVM's and the agent's own"
            + " threads excepted, answered as SYSTEM_THREAD) and answers with each kill. No thread matching, a pattern that"
            + " is not one, or one that backtracks without end on some name: IllegalArgumentException, and nothing is killed.")
    List<KillView> killByName(@Described(name = "nameRegex", value = "A Java regular expression that the whole thread name must match,"
            + " such as report-.*") String nameRegex, @Described(name = "reason", value = "Why, for the log: the message of the ThreadKilledError (blank: killed through JMX)") String reason);

    @Described("A thread's id, name, state, whether it runs selected code and where, why a kill would not land now,"
            + " its top frames, and its last kill.")
    String describeThread(@Described(name = "threadId", value = "The id of the thread, as the threads operation, jstack or Thread.getId() give it") long threadId);

    @Described("Every live platform thread (and the virtual threads the JDK lets the agent find): id, name, state,"
            + " whether it is virtual, whether selected code is on its stack, and where it is.")
    List<ThreadView> threads();

    @Described("The last kill of a thread requested through this interface, as it stands now: status, reason, where it"
            + " landed, latency, whether the thread has ended, why it has not landed, and its request number.")
    KillView killStatus(@Described(name = "threadId", value = "The id of the thread, as the threads operation, jstack or Thread.getId() give it") long threadId);

    @Described("True if the agent runs in this JVM and accepts kills.")
    boolean isActive();

    @Described("The agent's version.")
    String getVersion();

    @Described("The class patterns of the classes the agent instruments (include=).")
    String[] getInclude();

    @Described("The class patterns the agent leaves alone even when included (exclude=).")
    String[] getExclude();

    @Described("The classes a kill may instrument on demand when it finds them on its victim's stack (on-demand=): all, none, or class patterns.")
    String getOnDemand();

    @Described("The JDK packages where kills may land (include-jdk=).")
    String[] getIncludeJdk();

    @Described("Classes that kills had instrumented on demand so far.")
    long getInstrumentedOnDemandClasses();

    @Described("Classes with kill points so far.")
    long getInstrumentedClasses();

    @Described("Kill points on loop back-edges.")
    long getBackEdgeKillPoints();

    @Described("Kill points at method entries.")
    long getMethodEntryKillPoints();

    @Described("Kill points around blocking calls (waits, sleeps, locks, socket reads).")
    long getBlockingCallKillPoints();

    @Described("Checks where catch and finally blocks end: a kill that was caught is raised again there, and a kill"
            + " that waited for the block is delivered.")
    long getCatchExitKillPoints();

    @Described("Classes instrumented by retransformation when the agent was attached to a running JVM.")
    long getRetransformedClasses();

    @Described("Kill requests so far, from every source (API, JMX, the command-line tool, retrofits).")
    long getKillsRequested();

    @Described("Kills delivered: ThreadKilledError thrown in the thread.")
    long getKillsDelivered();

    @Described("Kills requested and not delivered, cancelled or ended yet.")
    long getKillsPending();

    @Described("Requests refused: no such thread, not alive, a JVM system thread, already being killed, agent inactive.")
    long getKillsRefused();

    @Described("Kills that ended undelivered: the thread ended first, or had no selected code on its stack.")
    long getKillsEndedUndelivered();

    @Described("Kills cancelled before they were delivered.")
    long getKillsCancelled();

    @Described("Times a delivered kill was caught by selected code and raised again at the end of the catch block.")
    long getKillsReraised();

    @Described("Mean time from request to delivery over all delivered kills, in milliseconds; NaN before the first.")
    double getDeliveryLatencyMeanMillis();

    @Described("Median time from request to delivery over the last 256 delivered kills, in milliseconds; NaN before the first.")
    double getDeliveryLatencyP50Millis();

    @Described("99th percentile of the time from request to delivery over the last 256 delivered kills, in milliseconds; NaN before the first.")
    double getDeliveryLatencyP99Millis();

    @Described("Longest time from request to delivery over the last 256 delivered kills, in milliseconds; NaN before the first.")
    double getDeliveryLatencyMaxMillis();
}
