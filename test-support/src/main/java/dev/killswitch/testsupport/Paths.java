package dev.killswitch.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put what the child JVMs need. */
public final class Paths {
    private Paths() {
    }

    public static Path agentJar() {
        return existing("agent.jar");
    }

    /** Compiled child programs ({@code dev.killswitch.it.child}). */
    public static Path childClasses() {
        return existing("child.classes");
    }

    /**
     * The fixtures compiled at --release 8 ({@code java8}), 17 ({@code java17}), the JUnit 3 suite ({@code junit3}), the
     * JUnit 5 tests ({@code junit5}), the Thread.stop() callers at --release 8 ({@code stop}).
     */
    public static Path fixtures(String flavour) {
        return existing("fixtures.dir").resolve(flavour);
    }

    /** The demo application's executable jar. */
    public static Path demoJar() {
        return existing("demo.jar");
    }

    /** The JUnit Platform jars (launcher, Jupiter engine and their dependencies), for a child that runs JUnit 5 itself. */
    public static Path[] junit5Platform() {
        try (java.util.stream.Stream<Path> jars = java.nio.file.Files.list(existing("fixtures.dir").resolve("junit5-lib"))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toArray(Path[]::new);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A jar of the ecosystem's tools that the build copies beside the fixtures: jmx_prometheus_javaagent.jar, jolokia-agent.jar. */
    public static Path tool(String jar) {
        return existing("fixtures.dir").resolve("tools").resolve(jar);
    }

    /** A published library that the build copies beside the fixtures, for code nobody selects: commons-collections4.jar. */
    public static Path library(String jar) {
        return existing("fixtures.dir").resolve("libs").resolve(jar);
    }

    public static Path legacyJar() {
        return existing("fixtures.dir").resolve("legacy").resolve("junit-3.8.1.jar");
    }

    /**
     * An engine module's run-time class path (the engine's jars and their dependencies), which the build wrote to the
     * file named by {@code engine.classpath}.
     */
    public static Path[] engineClassPath() {
        try {
            String entries = Files.readString(existing("engine.classpath")).trim();
            return entries.isEmpty() ? new Path[0]
                    : java.util.Arrays.stream(entries.split(java.io.File.pathSeparator)).map(Path::of).toArray(Path[]::new);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
        }
        Path p = Path.of(value);
        if (!Files.exists(p)) {
            throw new IllegalStateException(property + " does not exist: " + p + " (build the agent first: ./mvnw verify)");
        }
        return p;
    }
}
