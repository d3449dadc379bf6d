package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kill is visible where operators look: one line through the JDK's System.Logger, which reaches the
 * application's own logging binding, and none with {@code log-kills=false}.
 */
class KillLogTest {
    private static final String SELECTED = "include=com.acme.rejecting.**";

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    private static ChildJvm target(Jdk jdk, String agentArgs, Path... extraClassPath) {
        Path[] cp = new Path[2 + extraClassPath.length];
        cp[0] = Paths.fixtures("ondemand");
        cp[1] = Paths.library("commons-collections4.jar");
        System.arraycopy(extraClassPath, 0, cp, 2, extraClassPath.length);
        ChildJvm target = ChildJvm.with(jdk.require()).jvmArgs("-Duser.language=en", "-Duser.country=US") // java.util.logging's level names
                .classPath(cp).main(ControlTarget.class).agentArgs(agentArgs).start();
        target.awaitEvent("READY");
        return target;
    }

    private static long killSpinner(Jdk jdk, ChildJvm target) {
        long id = target.ask("START spinner com.acme.rejecting.Spinner spin", "STARTED").number("id");
        Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "10s");
        assertEquals(0, kill.exit, kill.toString());
        assertEquals("spinner", target.awaitEvent("DIED").get("name"), target.describe());
        return id;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillIsOneWarningLineOfJavaUtilLoggingByDefault(Jdk jdk) {
        try (ChildJvm target = target(jdk, SELECTED)) {
            long id = killSpinner(jdk, target);
            String line = target.awaitStderr(l -> l.startsWith("WARNING: killswitch: kill of thread " + id + " \"spinner\" delivered"));
            assertTrue(line.contains("at com.acme.rejecting.Spinner.") && line.contains("(asked by "), line);
            assertEquals(1, target.stderr().stream().filter(l -> l.contains("killswitch: kill of thread " + id)).count(), target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theLineReachesTheApplicationsOwnLoggingBinding(Jdk jdk) throws IOException {
        try (ChildJvm target = target(jdk, SELECTED, loggerFinderJar())) {
            long id = killSpinner(jdk, target);
            await().atMost(Duration.ofSeconds(30)).alias("a line of the logger dev.killswitch:\n" + target.describe())
                    .until(() -> target.events("LOGGED").stream().anyMatch(l -> "dev.killswitch".equals(l.get("logger"))));
            ChildJvm.Line logged = target.events("LOGGED").stream().filter(l -> "dev.killswitch".equals(l.get("logger"))).findFirst().orElseThrow();
            assertEquals("WARNING", logged.get("level"), logged.toString());
            assertTrue(logged.get("message").startsWith("killswitch: kill of thread " + id + " \"spinner\" delivered"), logged.toString());
            // A kill that does not land is a line too, at INFO: here one aimed at main, which runs no selected code.
            Cli.Result idle = Cli.run(jdk, "kill", Long.toString(target.pid()), "main");
            assertTrue(idle.out.contains("not delivered"), idle.toString());
            await().atMost(Duration.ofSeconds(30)).alias("an INFO line of the undelivered kill:\n" + target.describe())
                    .until(() -> target.events("LOGGED").stream().anyMatch(l -> "dev.killswitch".equals(l.get("logger"))
                            && "INFO".equals(l.get("level")) && l.get("message").contains("\"main\" not delivered")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void logKillsFalseWritesNoLine(Jdk jdk) {
        try (ChildJvm target = target(jdk, SELECTED + ";log-kills=false")) {
            assertTrue(target.awaitStderr(l -> l.startsWith("killswitch: active")).contains("log-kills=false (agent argument)"));
            long id = killSpinner(jdk, target);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> target.stderr().stream().noneMatch(l -> l.contains("killswitch: kill of thread " + id)));
        }
    }

    /** The fixtures' ReportingLoggerFinder, registered as a service in a jar of its own. */
    private static Path loggerFinderJar() throws IOException {
        Path jar = Paths.fixtures("ondemand").resolveSibling("reporting-logger.jar");
        String clazz = "com/acme/logging/ReportingLoggerFinder";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             java.util.stream.Stream<Path> classes = Files.list(Paths.fixtures("ondemand").resolve("com/acme/logging"))) {
            for (Path c : (Iterable<Path>) classes::iterator) {
                out.putNextEntry(new JarEntry("com/acme/logging/" + c.getFileName()));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/java.lang.System$LoggerFinder"));
            out.write((clazz.replace('/', '.') + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
