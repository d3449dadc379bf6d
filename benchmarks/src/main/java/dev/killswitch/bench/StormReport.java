package dev.killswitch.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bystander throughput while victims are killed at 1, 10 and 100 per second, relative to the same
 * run with victims stopped cooperatively (fresh JVMs, interleaved, as for the workloads); victims in other methods than the bystander, and in the
 * bystander's own method (whose compiled code each kill must deoptimise).
 */
final class StormReport {
    private StormReport() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        out.println();
        out.println("Kill storms: bystander throughput with victims killed / with victims stopped cooperatively, " + Environment.describe());
        out.println("each row: " + mode.stormRepeats + " pair(s) of fresh JVMs, the two ends interleaved; ratio of the geometric means,"
                + " with its 95 % Welch interval when there are two pairs or more");
        out.println(String.format(Locale.ROOT, "%-14s %-26s %16s %16s %8s %18s", "kills/second", "victims run", "stopped ops/s",
                "killed ops/s", "ratio", "95 % interval"));
        for (int rate : new int[] {1, 10, 100}) {
            for (String victim : new String[] {"other", "same"}) {
                List<Double> stopped = new ArrayList<>();
                List<Double> killed = new ArrayList<>();
                for (int i = 0; i < mode.stormRepeats; i++) {
                    stopped.add(ops(rate, mode, victim, "stop"));
                    killed.add(ops(rate, mode, victim, "kill"));
                }
                double[] r = stopped.size() > 1 ? WorkloadReport.ratio(stopped, killed) : new double[] {killed.get(0) / stopped.get(0)};
                out.println(String.format(Locale.ROOT, "%-14d %-26s %16.0f %16.0f %8.3f %18s", rate,
                        victim.equals("same") ? "the bystander's method" : "another method", mean(stopped), mean(killed), r[0],
                        r.length > 1 ? String.format(Locale.ROOT, "%.3f to %.3f", r[1], r[2]) : "(one pair)"));
            }
        }
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double ops(int rate, Mode mode, String victim, String end) throws Exception {
        List<String> jvm = List.of("-XX:+UseG1GC", Child.agent("com.acme.kernels.**"));
        return Double.parseDouble(Child.result(jvm, StormProbe.class.getName(), Integer.toString(rate),
                Integer.toString(mode.stormSeconds), victim, end).get("bystanderOpsPerSec"));
    }
}
