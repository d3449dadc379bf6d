package dev.killswitch.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The command-line tool against {@code jcmd PID VM.version}, the yardstick of a JVM tool: the wall time of each
 * whole command, first contact included, runs interleaved with jcmd's on the same target, medians reported.
 */
final class ControlReport {
    private static final String UNKNOWN_THREAD = "987654321";

    private ControlReport() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        String bench = Environment.benchmarksJar().toString();
        Process withAgent = start(List.of(Child.agent("org.nothing.**"), "-cp", bench, Idle.class.getName()));
        Process plain = start(List.of("-cp", bench, Idle.class.getName()));
        try {
            String pid = Long.toString(withAgent.pid());
            String plainPid = Long.toString(plain.pid());
            awaitChannel(withAgent.pid());
            String jcmd = Environment.home().resolve("jcmd").toString();
            Path jdkJcmd = Path.of(Environment.java()).resolveSibling("jcmd");
            jcmd = Files.isExecutable(jdkJcmd) ? jdkJcmd.toString() : jcmd;
            String[][] commands = {
                {"jcmd PID VM.version (the yardstick)", jcmd + " " + pid + " VM.version", "0"},
                {"status PID", tool("status " + pid), "0"},
                {"threads PID", tool("threads " + pid), "0"},
                {"kill PID " + UNKNOWN_THREAD + " (no such thread: one round trip)", tool("kill " + pid + " " + UNKNOWN_THREAD), "6"},
                {"status PID, a JVM without the agent", tool("status " + plainPid), "4"},
            };
            long[][] times = new long[commands.length][mode.startupRuns];
            for (int run = -1; run < mode.startupRuns; run++) { // run -1 warms the file cache
                for (int c = 0; c < commands.length; c++) {
                    long t = time(commands[c][1], Integer.parseInt(commands[c][2]));
                    if (run >= 0) {
                        times[c][run] = t;
                    }
                }
            }
            out.println();
            out.println("Command-line tool: wall time of each whole command (ms), " + mode.startupRuns + " runs each, interleaved with jcmd's, "
                    + Environment.describe());
            out.println(String.format(Locale.ROOT, "%-60s %8s %8s %10s", "command", "median", "min", "/ jcmd"));
            double yardstick = median(times[0]);
            for (int c = 0; c < commands.length; c++) {
                double median = median(times[c]);
                out.println(String.format(Locale.ROOT, "%-60s %8.1f %8.1f %10s", commands[c][0], median / 1e6,
                        Arrays.stream(times[c]).min().getAsLong() / 1e6, c == 0 ? "" : String.format(Locale.ROOT, "%.2f", median / yardstick)));
            }
        } finally {
            withAgent.destroyForcibly();
            plain.destroyForcibly();
        }
    }

    private static String tool(String args) {
        return Environment.java() + " -jar " + Environment.agentJar() + " " + args;
    }

    private static Process start(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Environment.java());
        for (String a : args) {
            command.addAll(Arrays.asList(a.split(" ")));
        }
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The agent opens its channel just after start-up. */
    private static void awaitChannel(long pid) throws InterruptedException {
        Path socket = Path.of(System.getProperty("java.io.tmpdir"), ".killswitch-" + pid, "control");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent in JVM " + pid + " opened no channel at " + socket);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static long time(String commandLine, int expectedExit) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(commandLine.split(" ")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != expectedExit) {
            p.destroyForcibly();
            throw new IllegalStateException("failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + ", expected " + expectedExit + "): " + commandLine);
        }
        return System.nanoTime() - start;
    }

    private static double median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
