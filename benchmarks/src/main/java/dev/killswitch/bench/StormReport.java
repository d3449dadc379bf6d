package dev.killswitch.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bystander throughput while victims are killed at 1, 10 and 100 per second, relative to the same
 * run with victims stopped cooperatively; victims in other methods than the bystander, and in the
 * bystander's own method (whose compiled code each kill must deoptimise).
 */
final class StormReport {
    private StormReport() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        out.println();
        out.println("Kill storms: bystander throughput with victims killed / with victims stopped cooperatively, " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%-14s %-26s %16s %16s %8s", "kills/second", "victims run", "stopped ops/s", "killed ops/s", "ratio"));
        for (int rate : new int[] {1, 10, 100}) {
            for (String victim : new String[] {"other", "same"}) {
                List<Double> ratios = new ArrayList<>();
                double stopped = 0;
                double killed = 0;
                for (int i = 0; i < mode.stormRepeats; i++) {
                    stopped = ops(rate, mode, victim, "stop");
                    killed = ops(rate, mode, victim, "kill");
                    ratios.add(killed / stopped);
                }
                ratios.sort(null);
                out.println(String.format(Locale.ROOT, "%-14d %-26s %16.0f %16.0f %8.3f", rate,
                        victim.equals("same") ? "the bystander's method" : "another method", stopped, killed, ratios.get(ratios.size() / 2)));
            }
        }
    }

    private static double ops(int rate, Mode mode, String victim, String end) throws Exception {
        List<String> jvm = List.of("-XX:+UseG1GC", Child.agent("com.acme.kernels.**"));
        return Double.parseDouble(Child.result(jvm, StormProbe.class.getName(), Integer.toString(rate),
                Integer.toString(mode.stormSeconds), victim, end).get("bystanderOpsPerSec"));
    }
}
