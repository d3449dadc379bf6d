package dev.killswitch.bench;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
    private static final String[] COLUMNS = {ORIGINAL, ANY_AGENT, KILLABLE};

    private IdleReport() {
    }

    /**
     * The forks of the killable variant run under the real agent, which transforms the kernels as the JVM loads them
     * and keeps its runtime in the boot loader, where the JIT may fold the table of numbered kill points (see
     * {@code SwitchNumbers}); the original's forks run without an agent, then under the one that does nothing. Kernel
     * by kernel, one fork of each column in turn, so that the three columns of a kernel share the machine's slow and
     * fast minutes: on a shared machine, columns run one after the other minutes apart differed by more than the kill
     * points cost.
     */
    static void run(Mode mode, PrintStream out) throws RunnerException {
        Collection<String> kernels = Kernels.ALL.keySet();
        Map<String, Column> scores = new HashMap<>();
        for (String[] run : plan(kernels, mode.forks)) {
            String kernel = run[0];
            String row = run[1];
            OptionsBuilder options = new OptionsBuilder();
            options.include(IdleOverhead.class.getName())
                    .param("kernel", kernel)
                    .param("variant", row.equals(KILLABLE) ? "killable" : "original")
                    .forks(1)
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
                scores.computeIfAbsent(kernel + "/" + row, k -> new Column()).add(r);
            }
        }
        out.println();
        out.println("Idle overhead: the same kernel as compiled, as compiled under a Java agent that does nothing, and with kill points"
                + " (no kill pending), " + mode.forks + " forks of each, interleaved, " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%-16s %16s %16s %16s %18s %18s", "kernel", "original ns/op", "any agent ns/op",
                "killable ns/op", "killable/original", "killable/any agent"));
        Ratios overOriginal = new Ratios();
        Ratios overAnyAgent = new Ratios();
        for (String kernel : kernels) {
            Column a = scores.get(kernel + "/" + ORIGINAL);
            Column any = scores.get(kernel + "/" + ANY_AGENT);
            Column b = scores.get(kernel + "/" + KILLABLE);
            if (a == null || any == null || b == null) {
                continue;
            }
            out.println(String.format(Locale.ROOT, "%-16s %16s %16s %16s %18s %18s", kernel, a, any, b,
                    overOriginal.add(kernel, b, a), overAnyAgent.add(kernel, b, any)));
        }
        out.println("killable/original:  " + overOriginal.summary());
        out.println("killable/any agent: " + overAnyAgent.summary());
        out.println("errors are 99.9% intervals over every measured iteration of every fork, as JMH computes them");
        if (mode.forks > 1) {
            out.println();
            out.println("Each fork's mean, ns/op, in the order run (a kernel whose forks fall into two groups is bimodal from JVM to JVM):");
            for (String kernel : kernels) {
                for (String row : COLUMNS) {
                    Column c = scores.get(kernel + "/" + row);
                    if (c != null) {
                        out.println(String.format(Locale.ROOT, "%-16s %-10s %s", kernel, row, c.forkMeans()));
                    }
                }
            }
        }
    }

    /** The JMH runs to make, one fork each, in order: {kernel, column}, kernel by kernel, the columns in turn. */
    static List<String[]> plan(Collection<String> kernels, int forks) {
        List<String[]> runs = new ArrayList<>();
        for (String kernel : kernels) {
            for (int fork = 0; fork < forks; fork++) {
                for (String row : COLUMNS) {
                    runs.add(new String[] {kernel, row});
                }
            }
        }
        return runs;
    }

    /** One column of one kernel: every measured iteration of its forks, and each fork's mean. */
    private static final class Column {
        private final ListStatistics iterations = new ListStatistics();
        private final List<String> forkMeans = new ArrayList<>();

        void add(RunResult run) {
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                ListStatistics own = new ListStatistics();
                for (IterationResult iteration : fork.getIterationResults()) {
                    double score = iteration.getPrimaryResult().getScore();
                    iterations.addValue(score);
                    own.addValue(score);
                }
                forkMeans.add(String.format(Locale.ROOT, "%.1f", own.getMean()));
            }
        }

        double score() {
            return iterations.getMean();
        }

        double error() {
            return iterations.getMeanErrorAt(0.999); // NaN below three iterations
        }

        String forkMeans() {
            return String.join(" ", forkMeans);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%9.1f ± %4.1f", score(), finite(error()));
        }
    }

    /** Ratios of one column over another: each with its error, and their geometric mean and maximum. */
    private static final class Ratios {
        private double logSum;
        private double max;
        private String worst = "";
        private int n;

        String add(String kernel, Column b, Column a) {
            double ratio = b.score() / a.score();
            double relErr = Math.sqrt(square(a.error() / a.score()) + square(b.error() / b.score()));
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
