package dev.killswitch.it.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The one standard-input command loop of the child programs: the parent test sends a command a line, a
 * word and its arguments separated by spaces. {@code EXIT}, or the end of input, ends the JVM; an unknown
 * command, or anything a command throws, becomes an {@code ERROR} report line, and the loop goes on.
 */
public final class CommandLoop {
    /** One command; {@code cmd[0]} is its word, the arguments follow. */
    public interface Command {
        void run(String[] cmd) throws Throwable;
    }

    private final Map<String, Command> commands = new HashMap<>();
    private final int parts;
    private Command beforeEach = cmd -> { };

    /** @param parts split each line into at most this many pieces (the last takes the rest of the line) */
    public CommandLoop(int parts) {
        this.parts = parts;
        commands.put("EXIT", cmd -> System.exit(0));
    }

    /** Splits each line at every space. */
    public CommandLoop() {
        this(0);
    }

    public CommandLoop on(String word, Command command) {
        commands.put(word, command);
        return this;
    }

    /** Runs before every command, as a reset. */
    public CommandLoop beforeEach(Command command) {
        beforeEach = command;
        return this;
    }

    /** Reads commands until EXIT or the end of input, then ends the JVM. */
    public void run() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.trim().split(" ", parts);
            try {
                Command command = commands.get(cmd[0]);
                if (command == null) {
                    throw new IllegalArgumentException("unknown command: " + line);
                }
                beforeEach.run(cmd);
                command.run(cmd);
            } catch (Throwable t) {
                Report.line("ERROR", Map.of("command", line, "error", String.valueOf(t)));
            }
        }
        System.exit(0);
    }
}
