package dev.killswitch.bench;

import com.acme.workloads.Workload;
import org.apache.commons.math3.distribution.TDistribution;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Idle overhead where it matters to a user: real published libraries instrumented whole by the real agent
 * ({@code include=} the library's packages and the driver's), doing real work with no kill pending, against the same
 * work without the agent. The kernels of the idle section are small loops; these are a compiler, a data-binding
 * library and a numeric library, thousands of methods each. Every run is a fresh child JVM (see
 * {@link com.acme.workloads.Workload}); the two variants alternate, so that the load of a shared machine hits both alike.
 */
final class WorkloadReport {
    /** A workload: what it does, which packages the agent instruments, its class path and arguments, its phases (s). */
    private record Spec(String name, String what, String include, List<Path> classPath, List<String> args, int warmup, int measure) {
    }

    /** Per-JVM figures of one workload, one variant. */
    private static final class Runs {
        final List<Double> opsPerSec = new ArrayList<>();
        final Set<String> checksums = new HashSet<>();
        final Set<Long> instrumented = new HashSet<>();
        final List<Double> profiledCodeKb = new ArrayList<>();
        final List<Double> codeKb = new ArrayList<>();
        long ops;
    }

    private WorkloadReport() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        int jvms = mode == Mode.QUICK ? 3 : 10;
        List<Spec> specs = specs(mode); // finds the corpus before anything runs
        Runs[][] runs = new Runs[specs.size()][2]; // [workload][0 original, 1 instrumented]
        for (Runs[] r : runs) {
            r[0] = new Runs();
            r[1] = new Runs();
        }
        long start = System.nanoTime();
        for (int round = 0; round < jvms; round++) {
            for (int w = 0; w < specs.size(); w++) {
                Spec s = specs.get(w);
                // with, without in even rounds, without, with in odd ones: a steady drift of the load over two rounds cancels out
                for (int v : round % 2 == 0 ? new int[] {1, 0} : new int[] {0, 1}) {
                    List<String> jvmArgs = new ArrayList<>(List.of("-Xms2g", "-Xmx2g"));
                    if (v == 1) {
                        jvmArgs.add(Child.agent(s.include()));
                    }
                    List<String> args = new ArrayList<>(List.of(s.name(), String.valueOf(s.warmup()), String.valueOf(s.measure())));
                    args.addAll(s.args());
                    Map<String, String> r = Child.result(jvmArgs, s.classPath(), Workload.class.getName(), args.toArray(new String[0]));
                    Runs into = runs[w][v];
                    into.opsPerSec.add(Double.parseDouble(r.get("opsPerSec")));
                    into.checksums.add(r.get("checksum"));
                    into.instrumented.add(Long.parseLong(r.get("instrumented")));
                    into.ops += Long.parseLong(r.get("ops"));
                    into.profiledCodeKb.add(Double.parseDouble(r.get("profiledCodeKb")));
                    into.codeKb.add(Double.parseDouble(r.get("codeKb")));
                    System.err.println(String.format(Locale.ROOT, "workloads: round %d/%d, %s %s: %s ops/s, %s classes instrumented",
                            round + 1, jvms, s.name(), v == 1 ? "with the agent" : "without", r.get("opsPerSec"),
                            v == 1 ? r.get("instrumented") : "no"));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        out.println();
        out.println("Workloads: real libraries instrumented whole, no kill pending, throughput of " + jvms + " fresh JVMs each way,"
                + " interleaved, " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%-14s %9s %15s %15s %13s   %s", "workload", "classes", "original ops/s",
                "instr. ops/s", "instr./orig.", "95% interval"));
        double logSum = 0;
        for (int w = 0; w < specs.size(); w++) {
            Spec s = specs.get(w);
            Runs a = runs[w][0];
            Runs b = runs[w][1];
            Set<String> all = new HashSet<>(a.checksums);
            all.addAll(b.checksums);
            if (all.size() != 1) {
                throw new IllegalStateException(s.name() + ": the output differs between JVMs: checksums " + a.checksums
                        + " without the agent, " + b.checksums + " with it");
            }
            if (!a.instrumented.equals(Set.of(-1L)) || b.instrumented.stream().anyMatch(n -> n <= 0)) {
                throw new IllegalStateException(s.name() + ": instrumented classes " + a.instrumented + " without the agent, "
                        + b.instrumented + " with it");
            }
            double[] ratio = ratio(a.opsPerSec, b.opsPerSec);
            logSum += Math.log(ratio[0]);
            out.println(String.format(Locale.ROOT, "%-14s %9s %15s %15s %13.3f   %.3f to %.3f", s.name(), classes(b.instrumented),
                    number(median(a.opsPerSec)), number(median(b.opsPerSec)), ratio[0], ratio[1], ratio[2]));
        }
        out.println(String.format(Locale.ROOT, "geometric mean of the ratios %.3f, %d workloads", Math.exp(logSum / specs.size()), specs.size()));
        for (int w = 0; w < specs.size(); w++) {
            Spec s = specs.get(w);
            String warmup = s.warmup() == 0 ? "the first operation" : s.warmup() + " s (at least one operation)";
            out.println(String.format(Locale.ROOT, "  %s: %s; warm-up %s, then %d s timed (%d and %d operations timed in all);"
                    + " include=%s", s.name(), s.what(), warmup, s.measure(), runs[w][0].ops, runs[w][1].ops, s.include()));
            out.println("    ops/s per JVM, original " + list(runs[w][0].opsPerSec) + ", instrumented " + list(runs[w][1].opsPerSec));
            out.println(String.format(Locale.ROOT, "    JIT code at its peak, medians: profiled (C1) code %s against %s MB, all code %s"
                    + " against %s MB (instrumented against original)", megabytes(runs[w][1].profiledCodeKb),
                    megabytes(runs[w][0].profiledCodeKb), megabytes(runs[w][1].codeKb), megabytes(runs[w][0].codeKb)));
        }
        out.println(String.format(Locale.ROOT, "ops/s columns are medians; instr./orig. is the ratio of the geometric means of the"
                + " per-JVM ops/s, with a 95%% Welch t interval on their logarithms; classes = instrumented classes per JVM (the"
                + " agent's MXBean); %d JVMs in %.0f s; every operation's output checked equal in all JVMs", 2 * jvms * specs.size(), seconds));
    }

    /**
     * Quick mode keeps the section to a few minutes on 2 cores: there the compiler is timed from its second compilation
     * in the JVM on (the first, 10 to 30 s with class loading and the JIT cold, is the warm-up), so its figure is that of
     * a compiler still warming up; full mode warms it for 45 s.
     */
    private static List<Spec> specs(Mode mode) throws IOException {
        boolean quick = mode == Mode.QUICK;
        String driver = ",com.acme.workloads.**";
        List<Path> kotlinc = new ArrayList<>();
        kotlinc.add(Environment.corpus("kotlin-compiler-embeddable"));
        kotlinc.addAll(jars(Environment.corpus("kotlinc-runtime")));
        Path tree = Environment.corpus("jackson-module-kotlin");
        Path sources = jars(tree).stream().filter(j -> j.toString().endsWith("-sources.jar")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no sources jar in " + tree));
        return List.of(
                new Spec("kotlinc", "kotlin-compiler-embeddable " + version(kotlinc.get(0)) + " compiling the sources of "
                        + sources.getFileName() + " (" + sourceFiles(sources) + ") to class files", "org.jetbrains.**" + driver,
                        kotlinc, List.of(sources.toString(), tree.toString()), quick ? 0 : 45, quick ? 4 : 20),
                new Spec("jackson", "jackson-databind round trips of 40 generated orders (1 to 35 KB of JSON each): POJO to JSON and"
                        + " back, JSON to a tree, the tree changed, written and bound back", "com.fasterxml.jackson.**" + driver,
                        List.of(), List.of(), quick ? 2 : 10, quick ? 2 : 10),
                new Spec("commons-math", "commons-math3 FFT and inverse of 16,384 points, LU solve of a 200 x 200 system,"
                        + " descriptive statistics and correlation of 100,000 values", "org.apache.commons.math3.**" + driver,
                        List.of(), List.of(), quick ? 2 : 10, quick ? 2 : 10));
    }

    /**
     * Instrumented ÷ original as the ratio of the geometric means of the per-JVM throughputs, and a 95% interval:
     * Welch's t interval on the difference of the mean logarithms (unequal variances, Welch-Satterthwaite degrees of
     * freedom), taken back with exp. Per-JVM throughput is close to log-normal, and JVMs differ more than iterations.
     */
    static double[] ratio(List<Double> original, List<Double> instrumented) {
        double[] a = logMoments(original);
        double[] b = logMoments(instrumented);
        double d = b[0] - a[0];
        double va = a[1] / original.size();
        double vb = b[1] / instrumented.size();
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new double[] {Math.exp(d), Math.exp(d), Math.exp(d)};
        }
        double df = (va + vb) * (va + vb) / (va * va / (original.size() - 1) + vb * vb / (instrumented.size() - 1));
        double t = new TDistribution(df).inverseCumulativeProbability(0.975);
        return new double[] {Math.exp(d), Math.exp(d - t * se), Math.exp(d + t * se)};
    }

    /** Mean and sample variance of the logarithms. */
    private static double[] logMoments(List<Double> xs) {
        double mean = xs.stream().mapToDouble(Math::log).average().orElseThrow();
        double squares = xs.stream().mapToDouble(x -> (Math.log(x) - mean) * (Math.log(x) - mean)).sum();
        return new double[] {mean, squares / (xs.size() - 1)};
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String number(double x) {
        return String.format(Locale.ROOT, x < 10 ? "%.3f" : x < 1000 ? "%.1f" : "%.0f", x);
    }

    private static String megabytes(List<Double> kb) {
        double m = median(kb);
        return m < 0 ? "(none)" : String.format(Locale.ROOT, "%.1f", m / 1024);
    }

    private static String list(List<Double> xs) {
        return xs.stream().map(WorkloadReport::number).collect(Collectors.joining(" "));
    }

    private static String classes(Set<Long> counts) {
        long min = Collections.min(counts);
        long max = Collections.max(counts);
        return min == max ? String.valueOf(min) : min + "-" + max;
    }

    private static List<Path> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    private static String version(Path jar) {
        String n = jar.getFileName().toString();
        return n.substring(n.lastIndexOf('-') + 1, n.length() - 4);
    }

    private static String sourceFiles(Path sourcesJar) throws IOException {
        try (JarFile jar = new JarFile(sourcesJar.toFile())) {
            long kt = jar.stream().filter(e -> e.getName().endsWith(".kt")).count();
            long java = jar.stream().filter(e -> e.getName().endsWith(".java")).count();
            return kt + " Kotlin and " + java + " Java files";
        }
    }
}
