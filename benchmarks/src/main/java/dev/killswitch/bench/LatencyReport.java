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
            // case, spacing, description, JVM flags
            {"hot", "isolated", "hot loop, C2-compiled", "-XX:+UseG1GC"},
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
        out.println(String.format(Locale.ROOT, "%-32s %-11s %-62s %4s %8s %8s %8s %8s %10s", "victim", "kills", "JVM flags", "n",
                "p50", "p90", "p99", "max", "kill() us"));
        for (String[] c : configs) {
            List<String> jvm = new ArrayList<>(List.of(c[3].split(" ")));
            jvm.add(Child.agent("com.acme.kernels.**"));
            int trials = c[1].equals("isolated") ? mode.latencyTrials : 50;
            Map<String, String> r = Child.result(jvm, LatencyProbe.class.getName(), c[0], Integer.toString(trials), c[1]);
            out.println(String.format(Locale.ROOT, "%-32s %-11s %-62s %4s %8s %8s %8s %8s %10s", c[2], c[1], c[3], r.get("n"),
                    r.get("p50"), r.get("p90"), r.get("p99"), r.get("max"), r.get("requestUs")));
        }
        out.println();
        out.println("The floor under an isolated kill, without the agent (ms): the two JVM operations it needs, done the same way on a"
                + " thread spinning in a C2-compiled loop (a 64-frame sample, then a MutableCallSite.setTarget that deoptimises the"
                + " loop), and from the start of the sample to the thread's first call of the new target");
        out.println(String.format(Locale.ROOT, "%-20s %4s %10s %10s %10s %10s", "JVM flags", "n", "sample p50", "deopt p50", "p50", "p99"));
        for (String gc : new String[] {"-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseSerialGC"}) {
            Map<String, String> r = Child.result(List.of(gc), FloorProbe.class.getName(), Integer.toString(mode.latencyTrials));
            out.println(String.format(Locale.ROOT, "%-20s %4s %10s %10s %10s %10s", gc, r.get("n"), r.get("sample"), r.get("deopt"),
                    r.get("p50"), r.get("p99")));
        }
    }
}
