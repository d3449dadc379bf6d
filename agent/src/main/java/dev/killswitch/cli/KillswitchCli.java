package dev.killswitch.cli;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntBiFunction;

/**
 * The command-line tool, {@code java -jar killswitch-agent.jar COMMAND PID ...}, in the manner of
 * jcmd: the commands run in the JVM, sent over the agent's local channel ({@link CommandChannel}), and
 * {@code attach} loads the agent through the Attach API. Nothing listens on a network port.
 */
public final class KillswitchCli implements ToIntBiFunction<String[], File> {
    static final String USAGE = ""
            + "Usage: java -jar killswitch-agent.jar COMMAND PID [ARGUMENTS]\n"
            + "\n"
            + "Commands:\n"
            + "  threads PID                     the JVM's threads: id, state, in selected code (*), name, where\n"
            + "  kill PID ID|NAME-REGEX [--reason TEXT] [--wait DURATION] [--escalate|--wait-for-selected-code]\n"
            + "                                  kill the thread with that id, or every thread whose whole name\n"
            + "                                  matches the regular expression (digits alone are an id: write\n"
            + "                                  ^123$ for a thread named 123); wait for death (default 5s, e.g.\n"
            + "                                  500ms, 30s, 2m; 0 = do not wait) and say where the kill landed\n"
            + "                                  and how long it took, or why the thread is still alive.\n"
            + "                                  A kill never lands inside catch or finally blocks; --escalate\n"
            + "                                  lands there too, for cleanup that itself hangs. A thread with no\n"
            + "                                  selected code on its stack is left alone, unless asked with\n"
            + "                                  --wait-for-selected-code (even in work it takes up later)\n"
            + "  cancel PID ID                   cancel the pending kill of that thread\n"
            + "  status PID                      whether the agent is loaded, its patterns and counters\n"
            + "  attach PID [AGENT-ARGUMENTS]    load the agent into a JVM started without it, for example\n"
            + "                                  attach 4242 'include=com.acme.**;exclude=com.acme.gen.*'\n"
            + "                                  Classes loaded already are instrumented by retransformation;\n"
            + "                                  a method running at that moment keeps its old code until it\n"
            + "                                  returns, but everything it calls, and every new call, is covered.\n"
            + "                                  On JDK 21+ the JVM prints a warning about the dynamically loaded\n"
            + "                                  agent unless it was started with -XX:+EnableDynamicAgentLoading.\n"
            + "  help                            this text\n"
            + "\n"
            + "threads, kill, cancel and status take --json: one JSON object on standard output, for scripts\n"
            + "(the exit code is the same; errors stay sentences on standard error).\n"
            + "\n"
            + "PID is a process id, as jps lists them. The tool must run as the same user as the JVM. It talks to\n"
            + "the agent through a Unix-domain socket in a folder only that user can open (.killswitch-PID in the\n"
            + "JVM's temporary folder): no network port, no JMX. attach, and finding a JVM whose temporary folder\n"
            + "is not the tool's, need a JDK (the module jdk.attach).\n"
            + "\n"
            + "Exit codes:\n"
            + ExitCodes.TABLE;

    static final String HELP_HINT = "Run java -jar killswitch-agent.jar --help for the commands.";
    private static final List<String> COMMANDS = List.of("threads", "kill", "cancel", "status", "attach");

    /** Made by the agent's {@code main} in the agent's class loader, to call {@link #applyAsInt}: no reflective call. */
    public KillswitchCli() {
    }

    /** The command line and the agent jar; returns the exit code. */
    @Override
    public int applyAsInt(String[] args, File agentJar) {
        return run(args, agentJar);
    }

    static int run(String[] args, File agentJar) {
        return run(args, agentJar, System.out, System.err);
    }

    static int run(String[] args, File agentJar, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(Arrays.asList(args));
        if (words.isEmpty()) {
            err.print(USAGE);
            return ExitCodes.USAGE;
        }
        String command = words.remove(0);
        if (command.equals("help") || command.equals("--help") || command.equals("-h") || words.contains("--help")) {
            out.print(USAGE);
            return ExitCodes.OK;
        }
        try {
            if (!COMMANDS.contains(command)) {
                throw new CliException(ExitCodes.USAGE, "unknown command \"" + command + "\"");
            }
            if (words.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, command + " needs the process id of a JVM (jps lists them)");
            }
            String pid = words.remove(0);
            if (command.equals("attach")) {
                if (!attachAvailable()) {
                    throw new CliException(ExitCodes.NO_ATTACH, "this Java runtime has no attach support (module jdk.attach):"
                            + " run the tool with a full JDK's java");
                }
                return AttachCommand.run(pid, words, agentJar, out, err);
            }
            words.add(0, command);
            int exit = CommandClient.run(pid, words, out, err);
            if (exit == ExitCodes.USAGE) {
                err.println(HELP_HINT); // the command found its words wrong in the JVM
            }
            return exit;
        } catch (CliException e) {
            err.println("killswitch: " + e.getMessage());
            if (e.exitCode == ExitCodes.USAGE) {
                err.println(HELP_HINT);
            }
            return e.exitCode;
        } catch (RuntimeException e) {
            err.println("killswitch: the command failed in this tool: "
                    + (e.getMessage() == null ? "an unexpected " + e.getClass().getSimpleName() : e.getMessage()));
            return ExitCodes.UNREACHABLE;
        }
    }

    /** The check happens before any class that mentions the Attach API is loaded. */
    static boolean attachAvailable() {
        try {
            Class.forName("com.sun.tools.attach.VirtualMachine");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

}
