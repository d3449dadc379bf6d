package dev.killswitch.cli;

import dev.killswitch.config.ConfigException;
import dev.killswitch.config.ConfigLoader;
import dev.killswitch.control.KillswitchMXBean;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code attach PID [AGENT-ARGUMENTS]}: loads the agent into a running JVM, which then instruments the
 * selected classes it has loaded already by retransformation, in batches, and every class it loads later.
 */
final class AttachCommand {
    /** The agent opens its channel in the background right after it starts. */
    private static final long CHANNEL_WAIT_MILLIS = 5000;

    private AttachCommand() {
    }

    static int run(String pid, List<String> args, File agentJar, PrintStream out, PrintStream err) throws CliException {
        if (args.size() > 1) {
            throw new CliException(ExitCodes.USAGE, "attach takes the agent arguments as one word: quote them, as in"
                    + " attach " + pid + " 'include=com.acme.**;debug=true'");
        }
        String agentArgs = args.isEmpty() ? "" : args.get(0);
        ProcessHandle process = TargetProcess.check(pid);
        try (TargetJvm target = TargetJvm.attach(process)) {
            Properties properties = target.systemProperties();
            // The target would reject these arguments with a message on its own standard error; say it here instead.
            try {
                ConfigLoader.load(agentArgs, properties, Map.of());
            } catch (ConfigException e) {
                throw new CliException(ExitCodes.USAGE, "the agent would not start with these arguments: " + e.getMessage());
            }
            String tmpdir = properties.getProperty("java.io.tmpdir");
            Path channel;
            try {
                channel = CommandClient.find(process, tmpdir);
            } catch (CliException anotherJvms) {
                throw new CliException(anotherJvms.exitCode, "nothing was loaded: " + anotherJvms.getMessage());
            }
            if (channel != null) {
                out.println("the killswitch agent is already active in JVM " + pid + "; it is not loaded again"
                        + " (its patterns stay as they are):");
                return CommandClient.run(pid, List.of("status"), out, err);
            }
            int feature = target.javaFeatureVersion();
            long started = System.nanoTime();
            target.loadAgent(agentJar.getAbsolutePath(), agentArgs);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            if (!awaitChannel(process, tmpdir)) {
                throw new CliException(ExitCodes.NO_AGENT, "JVM " + pid + " loaded the agent, but the agent did not start;"
                        + " the reason is on that JVM's standard error");
            }
            out.print("loaded the killswitch agent into JVM " + pid + " in " + tookMillis + " ms: ");
            int exit = CommandClient.run(pid, List.of(Report.NAME), out, err);
            out.println("A method that was running during the attach keeps its old code until it returns; what it calls,"
                    + " and every new call, has kill points.");
            if (feature >= 21) {
                out.println("JDK " + feature + " prints a warning on the JVM's standard error about an agent loaded at run time,"
                        + " unless it was started with -XX:+EnableDynamicAgentLoading (the other commands need no such flag).");
            }
            return exit;
        }
    }

    private static boolean awaitChannel(ProcessHandle process, String tmpdir) throws CliException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHANNEL_WAIT_MILLIS);
        Path socket;
        while ((socket = CommandClient.find(process, tmpdir)) == null && System.nanoTime() < deadline && process.isAlive()) {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return socket != null;
    }

    /** What the agent says right after an attach: what it instrumented, then its status. Runs in the JVM. */
    static final class Report implements TargetCommand {
        static final String NAME = "attach-report";

        @Override
        public int run(String pid, List<String> args, KillswitchMXBean control, PrintStream out) {
            out.println(control.getRetransformedClasses() + " loaded classes instrumented by retransformation, "
                    + control.getInstrumentedClasses() + " instrumented in all so far");
            StatusCommand.print(pid, control, out);
            return ExitCodes.OK;
        }
    }
}
