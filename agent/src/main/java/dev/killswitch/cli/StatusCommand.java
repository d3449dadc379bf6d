package dev.killswitch.cli;

import dev.killswitch.control.KillswitchMXBean;
import dev.killswitch.runtime.delivery.KillStats;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code status PID}: whether the agent is loaded, with which patterns, and its counters. */
final class StatusCommand implements TargetCommand {

    @Override
    public int run(String pid, List<String> args, KillswitchMXBean control, PrintStream out) throws CliException {
        if (!args.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "status takes only a process id, not " + args);
        }
        print(pid, control, out);
        return ExitCodes.OK;
    }

    static void print(String pid, KillswitchMXBean c, PrintStream out) {
        out.println("killswitch " + c.getVersion() + " in JVM " + pid + ": " + (c.isActive() ? "active" : "inactive"));
        out.println("  include           " + String.join(",", c.getInclude()));
        out.println("  exclude           " + (c.getExclude().length == 0 ? "(none)" : String.join(",", c.getExclude())));
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
