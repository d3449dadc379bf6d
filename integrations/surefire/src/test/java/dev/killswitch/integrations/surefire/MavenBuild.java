package dev.killswitch.integrations.surefire;

import dev.killswitch.testsupport.Jdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The user's project copied to a folder of its own, with the Maven wrapper beside its pom, built by {@code ./mvnw}
 * under one JDK; the build's output goes to a file that the test reads.
 */
final class MavenBuild implements AutoCloseable {
    private final Path project;
    private final Path log;
    private final Process process;

    private MavenBuild(Path project, Path log, Process process) {
        this.project = project;
        this.log = log;
        this.process = process;
    }

    /** Copies the user's project and this build's Maven wrapper into {@code dir}. */
    static Path userProject(Path dir) throws IOException {
        copyTree(Path.of(property("user.project")), dir);
        Path wrapper = Path.of(property("maven.wrapper.dir"));
        Files.copy(wrapper.resolve("mvnw"), dir.resolve("mvnw"));
        copyTree(wrapper.resolve(".mvn"), dir.resolve(".mvn"));
        return dir;
    }

    /** Starts {@code ./mvnw -B -ntp ARGS} in the project, under that JDK, with this build's local repository. */
    static MavenBuild start(Jdk jdk, Path project, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "./mvnw", "-B", "-ntp",
                "-Dmaven.repo.local=" + property("maven.local.repository"),
                "-Dkillswitch.version=" + property("killswitch.version")));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(project, "build", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Nothing of the enclosing build's settings: this is the user's own build (MAVEN_USER_HOME stays, for the wrapper's cache).
        pb.environment().keySet().removeIf(k -> k.startsWith("KILLSWITCH_") || k.equals("MAVEN_OPTS") || k.equals("MAVEN_ARGS")
                || k.equals("MAVEN_PROJECTBASEDIR") || k.equals("MAVEN_CMD_LINE_ARGS")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        pb.environment().put("JAVA_HOME", jdk.home().orElseThrow().toString());
        return new MavenBuild(project, log, pb.start());
    }

    /** Waits for the build to end; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError("the build did not end within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file the build wrote, such as {@code target/surefire-reports/TEST-com.acme.calc.CalculatorTest.xml}. */
    String file(String relative) throws IOException {
        Path p = project.resolve(relative);
        if (!Files.exists(p)) {
            throw new AssertionError("the build wrote no " + relative + ":\n" + output());
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Ends the build and the test JVM it forked. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.startsWith("${")) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven");
        }
        return value;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.startsWith(from.resolve("target"))) {
                    Files.copy(source, target);
                }
            }
        }
    }
}
