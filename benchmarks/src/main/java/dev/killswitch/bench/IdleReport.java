package dev.killswitch.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.PrintStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Runs {@link IdleOverhead} and prints, per kernel, killable / original with its error, their geometric mean and maximum. */
final class IdleReport {
    private IdleReport() {
    }

    /**
     * The forks of the killable variant run under the real agent, which transforms the kernels as the JVM loads them
     * and keeps its runtime in the boot loader, where the JIT may fold the table of numbered kill points (see
     * {@code SwitchNumbers}); the original's forks run without it. Kernel by kernel, the two variants one after the other.
     */
    static void run(Mode mode, PrintStream out) throws RunnerException {
        Map<String, Result<?>> scores = new HashMap<>();
        for (String kernel : Kernels.ALL.keySet()) {
            for (String variant : new String[] {"original", "killable"}) {
                OptionsBuilder options = new OptionsBuilder();
                options.include(IdleOverhead.class.getName())
                        .param("kernel", kernel)
                        .param("variant", variant)
                        .forks(mode.forks)
                        .warmupIterations(mode.warmupIterations)
                        .warmupTime(TimeValue.seconds(1))
                        .measurementIterations(mode.iterations)
                        .measurementTime(TimeValue.seconds(1));
                if (variant.equals("killable")) {
                    options.jvmArgsAppend(IdleOverhead.JVM_ARGS[0], IdleOverhead.JVM_ARGS[1], KernelLoader.agentArgument());
                }
                Collection<RunResult> results = new Runner(options.build()).run();
                for (RunResult r : results) {
                    scores.put(r.getParams().getParam("kernel") + "/" + r.getParams().getParam("variant"), r.getPrimaryResult());
                }
            }
        }
        out.println();
        out.println("Idle overhead: the same kernel as compiled and with kill points (no kill pending), " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%-16s %16s %16s %18s", "kernel", "original ns/op", "killable ns/op", "killable/original"));
        double logSum = 0;
        double max = 0;
        String worst = "";
        int n = 0;
        for (String kernel : Kernels.ALL.keySet()) {
            Result<?> a = scores.get(kernel + "/original");
            Result<?> b = scores.get(kernel + "/killable");
            if (a == null || b == null) {
                continue;
            }
            double ratio = b.getScore() / a.getScore();
            double relErr = Math.sqrt(square(a.getScoreError() / a.getScore()) + square(b.getScoreError() / b.getScore()));
            out.println(String.format(Locale.ROOT, "%-16s %9.1f ± %4.1f %9.1f ± %4.1f %10.3f ± %.3f", kernel,
                    a.getScore(), finite(a.getScoreError()), b.getScore(), finite(b.getScoreError()), ratio, finite(ratio * relErr)));
            logSum += Math.log(ratio);
            n++;
            if (ratio > max) {
                max = ratio;
                worst = kernel;
            }
        }
        out.println(String.format(Locale.ROOT, "geometric mean %.3f, maximum %.3f (%s), %d kernels; errors are JMH's 99.9%% intervals",
                Math.exp(logSum / n), max, worst, n));
    }

    private static double square(double x) {
        return Double.isFinite(x) ? x * x : 0;
    }

    private static double finite(double x) {
        return Double.isFinite(x) ? x : 0;
    }
}
