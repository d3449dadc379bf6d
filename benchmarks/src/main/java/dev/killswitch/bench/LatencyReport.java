package dev.killswitch.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Kill latency per case and collector, each in a fresh JVM with the real agent jar. */
final class LatencyReport {
    private static final String HINT = "-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000";
    /** An application's JIT has compiled many thousands of methods, a probe's JVM hundreds: arming costs more there. */
    private static final int MORE_METHODS = 4_000;

    private LatencyReport() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        String[][] configs = {
            // case, spacing, description, JVM flags[, more methods to have compiled first]
            {"hot", "isolated", "hot loop, C2-compiled", "-XX:+UseG1GC"},
            {"hot", "isolated", String.format(Locale.ROOT, "the same, %,d more methods compiled", MORE_METHODS), "-XX:+UseG1GC",
                Integer.toString(MORE_METHODS)},
            {"recursion", "isolated", "recursion, C2-compiled", "-XX:+UseG1GC"},
            {"deep", "isolated", "hot loop under 10,000 frames", "-XX:+UseG1GC"},
            {"hot", "isolated", "hot loop, interpreter only", "-XX:+UseG1GC -Xint"},
            {"hot", "isolated", "hot loop, C2-compiled", "-XX:+UseParallelGC"},
            {"hot", "isolated", "hot loop, C2-compiled", "-XX:+UseSerialGC"},
            {"longLoop", "isolated", "one 2^31-iteration counted loop", "-XX:+UseG1GC"},
            {"longLoop", "isolated", "one 2^31-iteration counted loop", "-XX:+UseParallelGC"},
            {"longLoop", "isolated", "one 2^31-iteration counted loop", "-XX:+UseParallelGC " + HINT},
            {"longLoop", "isolated", "one 2^31-iteration counted loop", "-XX:+UseSerialGC " + HINT},
            {"hot", "succession", "hot loop, C2-compiled", "-XX:+UseG1GC"},
            {"longLoop", "succession", "one 2^31-iteration counted loop", "-XX:+UseParallelGC"},
        };
        out.println();
        out.println("Kill latency, from Killswitch.kill returning to the victim catching the error (ms), " + Environment.describe());
        out.println("isolated: each victim ran over a second, its code's switches idle before the kill;"
                + " succession: a kill every 20-50 ms in the same code, switches still armed");
        out.println("nmethods: the JVM's compiled code at the end, an entry for each method and tier it was compiled at"
                + " (arming goes through all of them)");
        out.println(String.format(Locale.ROOT, "%-38s %-11s %-62s %4s %8s %8s %8s %8s %10s %11s", "victim", "kills", "JVM flags", "n",
                "p50", "p90", "p99", "max", "kill() us", "nmethods"));
        for (String[] c : configs) {
            List<String> jvm = new ArrayList<>(List.of(c[3].split(" ")));
            jvm.add(Child.agent("com.acme.kernels.**"));
            int trials = c[1].equals("isolated") ? mode.latencyTrials : 50;
            Map<String, String> r = Child.result(jvm, LatencyProbe.class.getName(), c[0], Integer.toString(trials), c[1],
                    c.length > 4 ? c[4] : "0");
            out.println(String.format(Locale.ROOT, "%-38s %-11s %-62s %4s %8s %8s %8s %8s %10s %11s", c[2], c[1], c[3], r.get("n"),
                    r.get("p50"), r.get("p90"), r.get("p99"), r.get("max"), r.get("requestUs"), r.get("nmethods")));
        }
        out.println();
        out.println("The floor under an isolated kill, without the agent (ms): the two JVM operations it needs, done the same way on a"
                + " thread spinning in a C2-compiled loop (a 64-frame sample, then a MutableCallSite.setTarget that deoptimises the"
                + " loop), and from the start of the sample to the thread's first call of the new target");
        out.println(String.format(Locale.ROOT, "%-20s %-13s %4s %10s %10s %10s %10s %11s", "JVM flags", "more methods", "n", "sample p50",
                "deopt p50", "p50", "p99", "nmethods"));
        String[][] floors = {{"-XX:+UseG1GC", "0"}, {"-XX:+UseParallelGC", "0"}, {"-XX:+UseSerialGC", "0"},
            {"-XX:+UseG1GC", Integer.toString(MORE_METHODS)}};
        for (String[] f : floors) {
            Map<String, String> r = Child.result(List.of(f[0]), FloorProbe.class.getName(), Integer.toString(mode.latencyTrials), f[1]);
            out.println(String.format(Locale.ROOT, "%-20s %-13s %4s %10s %10s %10s %10s %11s", f[0], f[1], r.get("n"), r.get("sample"),
                    r.get("deopt"), r.get("p50"), r.get("p99"), r.get("nmethods")));
        }
    }
}
