package dev.killswitch.bench;

import org.apache.commons.math3.distribution.TDistribution;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where nobody selected: the latency of a kill that instruments its victim's library on demand, and of one in a regex
 * catastrophe with include-jdk, each in fresh JVMs; and what include-jdk=java.util.regex costs a regex-heavy kernel
 * with no kill pending, against the plain JDK, in interleaved JMH forks.
 */
final class OnDemandReport {
    private static final String REGEX = "include-jdk=java.util.regex;on-demand=none";

    private OnDemandReport() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        out.println();
        out.println("Kills where nobody selected, from Killswitch.kill returning to the victim catching the error (ms), one kill"
                + " per fresh JVM, " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%-64s %4s %8s %8s %8s %8s %8s", "victim", "n", "p50", "p90", "p99", "max", "classes"));
        latency(out, "library", "", "a library loop nobody selected, instrumented on demand", mode.latencyTrials);
        latency(out, "regex", "=" + REGEX, "a regex catastrophe, include-jdk=java.util.regex", mode.latencyTrials);
        regexIdle(mode, out);
    }

    private static void latency(PrintStream out, String kase, String agentArgs, String what, int trials) throws Exception {
        List<Double> ms = new ArrayList<>();
        String classes = "";
        for (int i = 0; i < trials; i++) {
            Map<String, String> r = Child.result(List.of("-XX:+UseG1GC", "-javaagent:" + Environment.agentJar() + agentArgs),
                    OnDemandProbe.class.getName(), kase);
            ms.add(Double.parseDouble(r.get("ms")));
            classes = r.get("classes");
        }
        ms.sort(null);
        out.println(String.format(Locale.ROOT, "%-64s %4d %8.2f %8.2f %8.2f %8.2f %8s", what, ms.size(), Percentiles.of(ms, 50),
                Percentiles.of(ms, 90), Percentiles.of(ms, 99), ms.get(ms.size() - 1), classes));
    }

    private static void regexIdle(Mode mode, PrintStream out) throws Exception {
        List<Statistics> plain = new ArrayList<>();
        List<Statistics> killable = new ArrayList<>();
        for (int round = 0; round < Math.max(3, mode.forks); round++) { // interleaved: the machine's drift hits both alike
            for (boolean agent : new boolean[] {false, true}) {
                ChainedOptionsBuilder b = new OptionsBuilder().include(RegexIdle.class.getName()).forks(1)
                        .warmupIterations(5).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(Math.max(8, mode.iterations)).measurementTime(TimeValue.seconds(1));
                if (agent) {
                    b.jvmArgsAppend("-javaagent:" + Environment.agentJar() + "=" + REGEX);
                }
                Result<?> r = new Runner(b.build()).run().iterator().next().getPrimaryResult();
                (agent ? killable : plain).add(r.getStatistics());
            }
        }
        double[] a = pooled(plain);
        double[] b = pooled(killable);
        double ratio = b[0] / a[0];
        out.println();
        out.println("The JDK's regular expressions with kill points (include-jdk=java.util.regex), no kill pending: a regex-heavy"
                + " kernel (200 log lines: match with groups, find, split, replaceAll), " + plain.size() + " interleaved forks each, "
                + Environment.describe());
        out.println(String.format(Locale.ROOT, "plain JDK %.1f ± %.1f us/op, include-jdk %.1f ± %.1f us/op, include-jdk/plain %.3f ± %.3f"
                + " (99.9%% intervals over all iterations of all forks)", a[0], a[1], b[0], b[1], ratio,
                ratio * Math.sqrt(square(a[1] / a[0]) + square(b[1] / b[0]))));
    }

    /** The mean of all iterations of all forks, and its 99.9% half-interval (Student's t). */
    private static double[] pooled(List<Statistics> forks) {
        long n = 0;
        double sum = 0;
        for (Statistics s : forks) {
            n += s.getN();
            sum += s.getSum();
        }
        double mean = sum / n;
        double squares = 0;
        for (Statistics s : forks) {
            squares += (s.getN() - 1) * s.getVariance() + s.getN() * square(s.getMean() - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - 0.001 / 2);
        return new double[] {mean, t * sd / Math.sqrt(n)};
    }

    private static double square(double x) {
        return x * x;
    }
}
