package dev.killswitch.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Kill latency per case and collector, each in a fresh JVM with the real agent jar. */
final class LatencyReport {
    private static final String HINT = "-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000";

    private LatencyReport() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        String[][] configs = {
            // case, description, JVM flags
            {"hot", "hot loop, C2-compiled", "-XX:+UseG1GC"},
            {"recursion", "recursion, C2-compiled", "-XX:+UseG1GC"},
            {"hot", "hot loop, interpreter only", "-XX:+UseG1GC -Xint"},
            {"hot", "hot loop, C2-compiled", "-XX:+UseParallelGC"},
            {"hot", "hot loop, C2-compiled", "-XX:+UseSerialGC"},
            {"recursion", "recursion, C2-compiled", "-XX:+UseParallelGC"},
            {"longLoop", "one 2^31-iteration counted loop", "-XX:+UseG1GC"},
            {"longLoop", "one 2^31-iteration counted loop", "-XX:+UseParallelGC"},
            {"longLoop", "one 2^31-iteration counted loop", "-XX:+UseParallelGC " + HINT},
            {"longLoop", "one 2^31-iteration counted loop", "-XX:+UseSerialGC"},
            {"longLoop", "one 2^31-iteration counted loop", "-XX:+UseSerialGC " + HINT},
        };
        out.println();
        out.println("Kill latency, from Killswitch.kill returning to the victim catching the error (ms), " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%-34s %-62s %4s %8s %8s %8s %8s %10s", "victim", "JVM flags", "n",
                "p50", "p90", "p99", "max", "kill() us"));
        for (String[] c : configs) {
            List<String> jvm = new ArrayList<>(List.of(c[2].split(" ")));
            jvm.add(Child.agent("com.acme.kernels.**"));
            int trials = c[0].equals("longLoop") ? Math.min(mode.latencyTrials, 20) : mode.latencyTrials;
            Map<String, String> r = Child.result(jvm, LatencyProbe.class.getName(), c[0], Integer.toString(trials));
            out.println(String.format(Locale.ROOT, "%-34s %-62s %4s %8s %8s %8s %8s %10s", c[1], c[2], r.get("n"),
                    r.get("p50"), r.get("p90"), r.get("p99"), r.get("max"), r.get("requestUs")));
        }
    }
}
