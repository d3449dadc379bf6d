package dev.killswitch.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Wall time of short-lived JVMs with and without the agent, runs interleaved, medians reported. */
final class StartupReport {
    private StartupReport() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        String bench = Environment.benchmarksJar().toString();
        Path kotlin = Environment.corpus("kotlin-compiler-embeddable");
        Path groovy = Environment.corpus("groovy");
        String groovyPackages = "groovy.**,org.codehaus.groovy.**,org.apache.groovy.**";
        String[][] configs = {
            {"hello world, no agent", "-cp " + bench + " " + Hello.class.getName()},
            {"hello world, include matches nothing", Child.agent("org.nothing.**") + " -cp " + bench + " " + Hello.class.getName()},
            {"hello world, include matches kotlin-compiler-embeddable on the class path",
                Child.agent("org.jetbrains.kotlin.**,kotlin.**") + " -cp " + bench + ":" + kotlin + " " + Hello.class.getName()},
            {"groovy -e \"println 'hello'\", no agent", "-cp " + groovy + " groovy.ui.GroovyMain -e println('hello')"},
            {"groovy -e \"println 'hello'\", include=groovy's packages", Child.agent(groovyPackages) + " -cp " + groovy
                + " groovy.ui.GroovyMain -e println('hello')"},
        };
        long[][] times = new long[configs.length][mode.startupRuns];
        for (int run = -1; run < mode.startupRuns; run++) { // run -1 warms the file cache
            for (int c = 0; c < configs.length; c++) {
                long t = time(configs[c][1]);
                if (run >= 0) {
                    times[c][run] = t;
                }
            }
        }
        out.println();
        out.println("Start-up: wall time of the whole JVM run (ms), " + mode.startupRuns + " runs each, interleaved, " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%-72s %8s %8s %12s", "program", "median", "min", "added"));
        long[] medians = new long[configs.length];
        for (int c = 0; c < configs.length; c++) {
            long[] t = times[c].clone();
            Arrays.sort(t);
            medians[c] = t[t.length / 2];
            long base = c < 3 ? medians[0] : medians[3];
            out.println(String.format(Locale.ROOT, "%-72s %8.1f %8.1f %12s", configs[c][0], medians[c] / 1e6, t[0] / 1e6,
                    c == 0 || c == 3 ? "" : String.format(Locale.ROOT, "%+.1f ms", (medians[c] - base) / 1e6)));
        }
    }

    private static long time(String args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Environment.java());
        command.add("-Xshare:auto");
        command.addAll(Arrays.asList(args.split(" ")));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("failed: " + command);
        }
        return System.nanoTime() - start;
    }
}
