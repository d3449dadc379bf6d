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
    private static volatile boolean started;

    private AnyAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        started = true;
    }

    /** Says whether this JVM ran the premain: how the smoke test knows the jar is an agent. */
    public static void main(String[] args) {
        System.out.println("any agent started: " + started);
    }
}
