package dev.killswitch.control;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The flight recorder's record of one kill request, so that JDK Mission Control and {@code jfr print} show kills
 * beside GC and lock events. Committed once the request has settled, by the thread {@code killswitch-events}.
 */
@Name(KillEvent.NAME)
@Label("Kill")
@Category("killswitch")
@Description("A request to kill a thread with killswitch, and how it ended")
@StackTrace(false)
final class KillEvent extends jdk.jfr.Event {
    static final String NAME = "dev.killswitch.Kill";

    @Label("Thread Id")
    @Description("The id of the thread the kill was aimed at (a field of type Thread would be empty once it has ended)")
    long threadId;

    @Label("Thread Name")
    @Description("The name of the thread the kill was aimed at")
    String threadName;

    @Label("Reason")
    @Description("The reason given with the request; also the message of the ThreadKilledError")
    String reason;

    @Label("Requested By")
    @Description("The thread that asked, as thread N \"name\" (killswitch-command: the command-line tool; RMI: JMX)")
    String requester;

    @Label("Outcome")
    @Description("DELIVERED, CANCELLED, THREAD_ENDED, NOT_IN_SELECTED_CODE, or a refusal: NOT_ALIVE, ALREADY_BEING_KILLED,"
            + " SYSTEM_THREAD, AGENT_INACTIVE")
    String outcome;

    @Label("Landed At")
    @Description("The frame where the ThreadKilledError was thrown, once delivered")
    String landedAt;

    @Label("Latency")
    @Description("From the request to the throw, once delivered")
    @Timespan(Timespan.NANOSECONDS)
    long latency;

    @Label("Description")
    @Description("What happened, in one sentence")
    String description;
}
