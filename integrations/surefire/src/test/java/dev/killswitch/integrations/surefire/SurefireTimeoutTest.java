package dev.killswitch.integrations.surefire;

import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's Maven project whose test {@code squareRootOfANegativeNumber} loops for ever under {@code @Timeout(2)},
 * built with the Maven wrapper. With the agent on Surefire's test JVM as the README says
 * ({@code include=com.acme.**;interrupt-kills=true}), JUnit's timeout interrupt kills the test: the build ends,
 * reports that test as timed out, and runs the rest. Without it, the build never gets past the stuck test.
 */
class SurefireTimeoutTest {
    private static final String STUCK_REPORT = "target/surefire-reports/TEST-com.acme.calc.CalculatorTest.xml";

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    /** The README tells users to take the agent from their repository: put this build's jar there, as a user would. */
    @BeforeAll
    static void installTheAgentJar(@TempDir Path dir) throws Exception {
        Path project = MavenBuild.userProject(dir.resolve("installer"));
        try (MavenBuild install = MavenBuild.start(TestJdks.all().get(0), project,
                "org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file", "-Dfile=" + Paths.agentJar(),
                "-DgroupId=dev.killswitch", "-DartifactId=killswitch-agent",
                "-Dversion=" + System.getProperty("killswitch.version"), "-Dpackaging=jar")) {
            assertEquals(0, install.awaitExit(Duration.ofMinutes(3)), install.output());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theTimedOutTestIsKilledAndTheBuildRunsTheRest(Jdk jdk, @TempDir Path dir) throws Exception {
        Path project = MavenBuild.userProject(dir.resolve("calc"));
        long start = System.nanoTime();
        try (MavenBuild build = MavenBuild.start(jdk.require(), project, "test")) {
            int exit = build.awaitExit(Duration.ofMinutes(3));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            String out = build.output();
            assertEquals(1, exit, "the build ends, failed by the timed-out test:\n" + out);
            assertTrue(out.contains("Tests run: 4, Failures: 0, Errors: 1, Skipped: 0"), out);
            assertTrue(out.contains("CalculatorTest.squareRootOfANegativeNumber » Timeout squareRootOfANegativeNumber()"
                    + " timed out after 2 seconds"), out);
            String stuck = build.file(STUCK_REPORT);
            assertTrue(stuck.contains("tests=\"3\"") && stuck.contains("errors=\"1\""), stuck);
            assertTrue(stuck.contains("@@ FINALLY squareRootOfANegativeNumber"), "the test's finally ran:\n" + stuck);
            assertTrue(stuck.contains("dev.killswitch.ThreadKilledError"), "the kill is attached to JUnit's timeout:\n" + stuck);
            String later = build.file("target/surefire-reports/TEST-com.acme.calc.LaterTest.xml");
            assertTrue(later.contains("tests=\"1\"") && later.contains("errors=\"0\"") && later.contains("failures=\"0\""),
                    "the test class after the stuck one ran and passed:\n" + later);
            // The kill's log line is written by a logging thread, and Surefire's fork may exit before it reaches the
            // build's output; KillLogTest checks the line itself. Here it is only reported.
            boolean logged = out.lines().anyMatch(l -> l.startsWith("WARNING: killswitch: kill of thread "));
            System.out.println("surefire: " + jdk + ": the build with a test stuck in while (true) under @Timeout(2) ended in "
                    + seconds + " s, with the test reported as timed out and the rest run; the kill's log line in the build's output: "
                    + logged);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheAgentTheBuildNeverGetsPastTheStuckTest(Jdk jdk, @TempDir Path dir) throws Exception {
        Path project = MavenBuild.userProject(dir.resolve("calc"));
        try (MavenBuild build = MavenBuild.start(jdk.require(), project, "test", "-Dkillswitch.off")) {
            await().atMost(Duration.ofMinutes(2)).alias("the stuck test class started:\n" + build.output())
                    .until(() -> build.output().contains("Running com.acme.calc.CalculatorTest"));
            // JUnit's timeout passes after 2 s; for 10 s more the build stays in the stuck test.
            await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20))
                    .alias("the build stuck in CalculatorTest:\n" + build.output())
                    .until(() -> build.isAlive() && !build.output().contains("LaterTest"));
            assertTrue(Files.notExists(project.resolve(STUCK_REPORT)), "no report: the test never ended");
            System.out.println("surefire: " + jdk + ": without the agent the build is still in the stuck test 10 s after"
                    + " its 2 s timeout (and for ever)");
        }
    }
}
