package dev.killswitch.cli;

import dev.killswitch.control.KillswitchMXBean;
import dev.killswitch.runtime.delivery.KillStats;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code status PID}: whether the agent is loaded, with which patterns, and its counters. */
final class StatusCommand implements TargetCommand {

    @Override
    public int run(String pid, List<String> args, KillswitchMXBean control, PrintStream out) throws CliException {
        boolean json = Json.requested(args);
        if (!args.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "status takes only a process id (and --json), not " + args);
        }
        if (json) {
            out.println(Json.write(json(pid, control)));
        } else {
            print(pid, control, out);
        }
        return ExitCodes.OK;
    }

    private static Map<String, Object> json(String pid, KillswitchMXBean c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", Long.parseLong(pid));
        m.put("version", c.getVersion());
        m.put("active", c.isActive());
        m.put("include", Arrays.asList(c.getInclude()));
        m.put("exclude", Arrays.asList(c.getExclude()));
        m.put("includeJdk", Arrays.asList(c.getIncludeJdk()));
        m.put("onDemand", c.getOnDemand());
        m.put("instrumentedOnDemandClasses", c.getInstrumentedOnDemandClasses());
        m.put("instrumentedClasses", c.getInstrumentedClasses());
        m.put("retransformedClasses", c.getRetransformedClasses());
        Map<String, Object> points = new LinkedHashMap<>();
        points.put("backEdge", c.getBackEdgeKillPoints());
        points.put("methodEntry", c.getMethodEntryKillPoints());
        points.put("blockingCall", c.getBlockingCallKillPoints());
        points.put("catchExit", c.getCatchExitKillPoints());
        m.put("killPoints", points);
        Map<String, Object> kills = new LinkedHashMap<>();
        kills.put("requested", c.getKillsRequested());
        kills.put("delivered", c.getKillsDelivered());
        kills.put("pending", c.getKillsPending());
        kills.put("refused", c.getKillsRefused());
        kills.put("endedUndelivered", c.getKillsEndedUndelivered());
        kills.put("cancelled", c.getKillsCancelled());
        kills.put("reraised", c.getKillsReraised());
        m.put("kills", kills);
        Map<String, Object> latency = new LinkedHashMap<>(); // null until a kill has been delivered
        latency.put("p50", c.getDeliveryLatencyP50Millis());
        latency.put("p99", c.getDeliveryLatencyP99Millis());
        latency.put("max", c.getDeliveryLatencyMaxMillis());
        latency.put("mean", c.getDeliveryLatencyMeanMillis());
        m.put("deliveryLatencyMillis", latency);
        return m;
    }

    static void print(String pid, KillswitchMXBean c, PrintStream out) {
        out.println("killswitch " + c.getVersion() + " in JVM " + pid + ": " + (c.isActive() ? "active" : "inactive"));
        out.println("  include           " + (c.getInclude().length == 0 ? "(none)" : String.join(",", c.getInclude())));
        out.println("  exclude           " + (c.getExclude().length == 0 ? "(none)" : String.join(",", c.getExclude())));
        if (c.getIncludeJdk().length > 0) {
            out.println("  include-jdk       " + String.join(",", c.getIncludeJdk()));
        }
        out.println("  on-demand         " + c.getOnDemand() + " (" + c.getInstrumentedOnDemandClasses() + " classes instrumented on demand so far)");
        out.println("  classes           " + c.getInstrumentedClasses() + " instrumented"
                + (c.getRetransformedClasses() > 0 ? " (" + c.getRetransformedClasses() + " by retransformation when attached)" : ""));
        out.println("  kill points       " + c.getBackEdgeKillPoints() + " loop back-edges, " + c.getMethodEntryKillPoints()
                + " method entries, " + c.getBlockingCallKillPoints() + " blocking calls, " + c.getCatchExitKillPoints()
                + " catch- and finally-block exits");
        out.println("  kills             " + c.getKillsRequested() + " requested, " + c.getKillsDelivered() + " delivered, "
                + c.getKillsPending() + " pending, " + c.getKillsRefused() + " refused, " + c.getKillsEndedUndelivered()
                + " ended before delivery, " + c.getKillsReraised() + " raised again after a catch");
        if (c.getKillsDelivered() > 0) {
            out.println(String.format(Locale.ROOT, "  delivery latency  p50 %.2f ms, p99 %.2f ms, max %.2f ms (last %d kills),"
                            + " mean %.2f ms (all)", c.getDeliveryLatencyP50Millis(), c.getDeliveryLatencyP99Millis(),
                    c.getDeliveryLatencyMaxMillis(), Math.min(KillStats.LATENCY_WINDOW, c.getKillsDelivered()), c.getDeliveryLatencyMeanMillis()));
        }
    }
}
