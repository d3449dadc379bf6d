package dev.killswitch.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link IdleOverhead} and prints, per kernel, killable / original with its error, their geometric mean and
 * maximum; and the same against the original under a Java agent that does nothing ({@link AnyAgent}), which tells
 * what any {@code -javaagent} costs the kernel from what the kill points and this agent's runtime cost.
 */
final class IdleReport {
    private static final String ORIGINAL = "original";
    private static final String ANY_AGENT = "any agent";
    private static final String KILLABLE = "killable";

    private IdleReport() {
    }

    /**
     * The forks of the killable variant run under the real agent, which transforms the kernels as the JVM loads them
     * and keeps its runtime in the boot loader, where the JIT may fold the table of numbered kill points (see
     * {@code SwitchNumbers}); the original's forks run without an agent, then under the one that does nothing. Kernel
     * by kernel, the three one after the other.
     */
    static void run(Mode mode, PrintStream out) throws RunnerException {
        Map<String, Result<?>> scores = new HashMap<>();
        for (String kernel : Kernels.ALL.keySet()) {
            for (String row : new String[] {ORIGINAL, ANY_AGENT, KILLABLE}) {
                OptionsBuilder options = new OptionsBuilder();
                options.include(IdleOverhead.class.getName())
                        .param("kernel", kernel)
                        .param("variant", row.equals(KILLABLE) ? "killable" : "original")
                        .forks(mode.forks)
                        .warmupIterations(mode.warmupIterations)
                        .warmupTime(TimeValue.seconds(1))
                        .measurementIterations(mode.iterations)
                        .measurementTime(TimeValue.seconds(1));
                if (row.equals(KILLABLE)) {
                    options.jvmArgsAppend(IdleOverhead.JVM_ARGS[0], IdleOverhead.JVM_ARGS[1], KernelLoader.agentArgument());
                } else if (row.equals(ANY_AGENT)) {
                    options.jvmArgsAppend(IdleOverhead.JVM_ARGS[0], IdleOverhead.JVM_ARGS[1], "-javaagent:" + Environment.anyAgentJar());
                }
                for (RunResult r : new Runner(options.build()).run()) {
                    scores.put(kernel + "/" + row, r.getPrimaryResult());
                }
            }
        }
        out.println();
        out.println("Idle overhead: the same kernel as compiled, as compiled under a Java agent that does nothing, and with kill points"
                + " (no kill pending), " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%-16s %16s %16s %16s %18s %18s", "kernel", "original ns/op", "any agent ns/op",
                "killable ns/op", "killable/original", "killable/any agent"));
        Ratios overOriginal = new Ratios();
        Ratios overAnyAgent = new Ratios();
        for (String kernel : Kernels.ALL.keySet()) {
            Result<?> a = scores.get(kernel + "/" + ORIGINAL);
            Result<?> any = scores.get(kernel + "/" + ANY_AGENT);
            Result<?> b = scores.get(kernel + "/" + KILLABLE);
            if (a == null || any == null || b == null) {
                continue;
            }
            out.println(String.format(Locale.ROOT, "%-16s %16s %16s %16s %18s %18s", kernel, time(a), time(any), time(b),
                    overOriginal.add(kernel, b, a), overAnyAgent.add(kernel, b, any)));
        }
        out.println("killable/original:  " + overOriginal.summary());
        out.println("killable/any agent: " + overAnyAgent.summary());
        out.println("errors are JMH's 99.9% intervals");
    }

    private static String time(Result<?> r) {
        return String.format(Locale.ROOT, "%9.1f ± %4.1f", r.getScore(), finite(r.getScoreError()));
    }

    /** Ratios of one column over another: each with its error, and their geometric mean and maximum. */
    private static final class Ratios {
        private double logSum;
        private double max;
        private String worst = "";
        private int n;

        String add(String kernel, Result<?> b, Result<?> a) {
            double ratio = b.getScore() / a.getScore();
            double relErr = Math.sqrt(square(a.getScoreError() / a.getScore()) + square(b.getScoreError() / b.getScore()));
            logSum += Math.log(ratio);
            n++;
            if (ratio > max) {
                max = ratio;
                worst = kernel;
            }
            return String.format(Locale.ROOT, "%.3f ± %.3f", ratio, finite(ratio * relErr));
        }

        String summary() {
            return String.format(Locale.ROOT, "geometric mean %.3f, maximum %.3f (%s), %d kernels", Math.exp(logSum / n), max, worst, n);
        }
    }

    private static double square(double x) {
        return Double.isFinite(x) ? x * x : 0;
    }

    private static double finite(double x) {
        return Double.isFinite(x) ? x : 0;
    }
}
