/**
 * The command-line tool, {@code java -jar killswitch-agent.jar COMMAND PID ...}, in two halves: in the tool's
 * JVM, {@link dev.killswitch.cli.KillswitchCli} and {@link dev.killswitch.cli.CommandClient}; in the target JVM,
 * {@link dev.killswitch.cli.CommandServer}, which runs the commands ({@code threads}, {@code kill}, {@code cancel},
 * {@code status}) against the agent's control. Between them, a Unix-domain socket only the JVM's user can open
 * ({@link dev.killswitch.cli.CommandChannel}). {@code attach} alone uses the Attach API to load the agent.
 */
package dev.killswitch.cli;
