package dev.killswitch.cli;

import dev.killswitch.config.ConfigException;
import dev.killswitch.config.ConfigLoader;
import dev.killswitch.control.KillswitchMXBean;

import java.io.File;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code attach PID [AGENT-ARGUMENTS]}: loads the agent into a running JVM, which then instruments the
 * selected classes it has loaded already by retransformation, in batches, and every class it loads later.
 */
final class AttachCommand implements KillswitchCli.Command {

    @Override
    public int run(String pid, List<String> args, File agentJar, PrintStream out) throws CliException {
        if (args.size() > 1) {
            throw new CliException(ExitCodes.USAGE, "attach takes the agent arguments as one word: quote them, as in"
                    + " attach " + pid + " 'include=com.acme.**;debug=true'");
        }
        String agentArgs = args.isEmpty() ? "" : args.get(0);
        try (TargetJvm target = TargetJvm.attach(pid)) {
            // The target would reject these arguments with a message on its own standard error; say it here instead.
            try {
                ConfigLoader.load(agentArgs, target.systemProperties(), Map.of());
            } catch (ConfigException e) {
                throw new CliException(ExitCodes.USAGE, "the agent would not start with these arguments: " + e.getMessage());
            }
            if (target.hasAgent()) {
                out.println("the killswitch agent is already active in JVM " + pid + "; it is not loaded again"
                        + " (its patterns stay as they are):");
                StatusCommand.print(pid, target.control(), out);
                return ExitCodes.OK;
            }
            int feature = target.javaFeatureVersion();
            long started = System.nanoTime();
            target.loadAgent(agentJar.getAbsolutePath(), agentArgs);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            KillswitchMXBean control;
            try {
                control = target.control();
            } catch (CliException e) {
                throw new CliException(ExitCodes.NO_AGENT, "JVM " + pid + " loaded the agent, but the agent did not start;"
                        + " the reason is on that JVM's standard error");
            }
            out.println("loaded the killswitch agent into JVM " + pid + " in " + tookMillis + " ms: "
                    + control.getRetransformedClasses() + " loaded classes instrumented by retransformation, "
                    + control.getInstrumentedClasses() + " instrumented in all so far");
            StatusCommand.print(pid, control, out);
            out.println("A method that was running during the attach keeps its old code until it returns; what it calls,"
                    + " and every new call, has kill points.");
            if (feature >= 21) {
                out.println("JDK " + feature + " prints a warning on the JVM's standard error about an agent loaded at run time,"
                        + " unless it was started with -XX:+EnableDynamicAgentLoading (the other commands need no such flag).");
            }
            return ExitCodes.OK;
        }
    }
}
