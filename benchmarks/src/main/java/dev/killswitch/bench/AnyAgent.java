package dev.killswitch.bench;

import java.lang.instrument.Instrumentation;

/**
 * A Java agent that does nothing: the idle section's second baseline, what any {@code -javaagent} costs a JVM before
 * its agent does anything. The JVM adds the {@code java.instrument} module for it, which turns off the start-up
 * archive's module graph (CDS), so the module system resolves its graph in Java at start-up: enough
 * {@code HashMap.put} calls for C2 to compile {@code HashMap.putVal} by itself, too big to be inlined afterwards
 * ("already compiled into a big method"), and a kernel's loop of {@code put} calls it instead.
 */
public final class AnyAgent {
    private static final String STRINGS = "strings=";
    private static volatile boolean started;
    private static volatile int built;

    private AnyAgent() {
    }

    /**
     * Does nothing; or, given {@code strings=N}, builds N short strings first ({@link #buildStrings}), as the start of
     * an application, or of an agent that does something, does many times over.
     */
    public static void premain(String args, Instrumentation instrumentation) {
        started = true;
        if (args == null || args.isEmpty()) {
            return;
        }
        String count = args.startsWith(STRINGS) ? args.substring(STRINGS.length()) : ""; // "" does not parse either
        try {
            built = buildStrings(Integer.parseInt(count));
        } catch (NumberFormatException e) {
            System.err.println("any agent: its one argument is strings=N, a whole number of strings to build, not \"" + args + "\"");
        }
    }

    /**
     * Builds {@code n} strings of ten {@code "name-" + i + ","} each with a {@code StringBuilder}, and returns their
     * total length. A thousand are enough for C2 to compile {@code StringBuilder.append(int)} on its own before a
     * kernel's loop that appends ints is compiled, too big to be inlined there afterwards ("already compiled into a
     * big method"): how the string-building kernel's slow mode is shown without this project's agent.
     */
    static int buildStrings(int n) {
        int length = 0;
        for (int j = 0; j < n; j++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                sb.append("name-").append(i).append(',');
            }
            length += sb.length();
        }
        return length;
    }

    /** Says whether this JVM ran the premain: how the smoke test knows the jar is an agent. */
    public static void main(String[] args) {
        System.out.println("any agent started: " + started + (built > 0 ? ", built strings of " + built + " chars" : ""));
    }
}
