package dev.killswitch.cli;

import dev.killswitch.control.KillswitchMXBean;

import java.io.PrintStream;
import java.util.List;

/** A command of the tool that runs in the target JVM, against the agent's control (see {@link CommandServer}). */
interface TargetCommand {
    /**
     * @param pid the process id as the user wrote it, for messages
     * @param args the words after it
     * @return the tool's exit code (see {@link ExitCodes})
     */
    int run(String pid, List<String> args, KillswitchMXBean control, PrintStream out) throws CliException;
}
