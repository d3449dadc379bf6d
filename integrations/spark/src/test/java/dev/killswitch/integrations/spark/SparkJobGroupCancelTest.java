package dev.killswitch.integrations.spark;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Apache Spark (spark-core from Maven Central) in local mode with ONE executor thread ({@code local[1]}) and the task
 * reaper on. A stage whose function is stuck in user code (it spins, or it sleeps in a loop that swallows
 * {@code InterruptedException}) runs in a job group with interrupt-on-cancel; the group is cancelled, which makes the
 * executor interrupt the task's thread. With {@code interrupt-kills=true} that interrupt kills the function: the task
 * ends killed, its {@code finally} runs, and the next job runs on the same executor thread, long before the reaper's
 * kill timeout. Without the agent the task spins on and holds the only thread; in local mode the reaper gives up and
 * says so, and the next job never starts.
 */
class SparkJobGroupCancelTest {
    private static final String RECIPE = "include=com.acme.spark.jobs.**;interrupt-kills=true";
    private static final Duration SPARK_START = Duration.ofSeconds(90);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Pattern DELIVERED = Pattern.compile("delivered after ([0-9.]+) ms");

    /**
     * Spark's own requirement, not the agent's: the options its launcher (spark-submit) gives every driver and
     * executor JVM (org.apache.spark.launcher.JavaModuleOptions), needed when a program starts Spark itself.
     */
    private static final String[] SPARK_JVM_OPTIONS = {
        "-XX:+IgnoreUnrecognizedVMOptions",
        "--add-modules=jdk.incubator.vector",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.net=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
        "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
        "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
        "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true",
    };

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    private static ChildJvm driver(Jdk jdk, boolean agent) {
        ChildJvm.Builder b = ChildJvm.with(jdk.require())
                .jvmArgs("-Xmx1g", "-Duser.language=en", "-Duser.country=US") // Spark wants memory; English log texts
                .jvmArgs(SPARK_JVM_OPTIONS)
                .env("SPARK_LOCAL_IP", "127.0.0.1") // Spark's own address: loopback only
                .classPath(Paths.engineClassPath())
                .main("com.acme.spark.SparkJobRunner");
        ChildJvm driver = (agent ? b.agentArgs(RECIPE) : b.withoutAgent()).start();
        driver.awaitEvent("READY", SPARK_START);
        return driver;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void cancellingTheJobGroupKillsTheStuckFunctionAndTheExecutorThreadRunsTheNextJob(Jdk jdk) {
        try (ChildJvm driver = driver(jdk, true)) {
            for (String shape : List.of("spin", "sleep")) {
                cancelAndRunTheNextJob(driver, jdk, shape);
            }
            driver.send("quit");
            driver.awaitEvent("STOPPED", STEP); // stopping Spark interrupts its own threads (its event loops): none may become a kill
            assertEquals(0, driver.awaitExit(STEP), driver.describe());
            driver.awaitOutputEnd();
            assertEquals(2, driver.stderr().stream().filter(l -> l.contains("killswitch: kill of thread")).count(),
                    "one kill per stuck function, none of Spark's other interrupts:\n" + driver.describe());
            // The reaper acts when its kill timeout (5 s) passes: in local mode it then logs that it could not stop
            // the task, in a cluster it ends the executor's JVM. Before that it only notes, each second, a task still
            // running; on a loaded machine Spark's own end of a killed task (cold code) can take that long.
            assertTrue(driver.stderr().stream().noneMatch(l -> l.contains("could not be stopped within")
                    || l.contains("Killing executor JVM")), "the task reaper never had to act:\n" + driver.describe());
            System.out.println("spark: " + jdk + ": with the agent, the reaper's notes of a killed task still running: "
                    + driver.stderr().stream().filter(l -> l.contains("is still running after")).count());
            assertTrue(driver.stderr().stream().noneMatch(l -> l.contains("ThreadKilledError")),
                    "Spark reports the killed task as killed by the cancel, not as an error:\n" + driver.describe());
        }
    }

    /** One stuck shape, with the agent: cancel its group, check how the task ended, run the next job. */
    private static void cancelAndRunTheNextJob(ChildJvm driver, Jdk jdk, String shape) {
        Stuck stuck = runAndCancel(driver, shape);
        long thread = stuck.thread();
        ChildJvm.Line end = awaitLine(driver, "TASK_END", "group", shape);
        assertTrue(end.get("reason").startsWith("TaskKilled(Stage cancelled: [SPARK_JOB_CANCELLED]"),
                shape + ": the task ended killed by the cancel: " + end);
        ChildJvm.Line fin = awaitLine(driver, "FINALLY", "shape", shape);
        assertEquals(thread, fin.number("thread"), shape + ": the function's finally ran on its thread");
        // The agent logs through System.Logger, which Spark routes to its log4j2 log (it bridges JUL to SLF4J).
        String kill = awaitStderr(driver, l -> l.contains(" WARN dev.killswitch: killswitch: kill of thread " + thread
                + " \"" + stuck.name() + "\" delivered after ") && l.contains(" at com.acme.spark.jobs.StuckStages.lambda$run$"));
        assertTrue(kill.contains("interrupted by thread") && kill.contains("\"Task reaper-"),
                shape + ": the kill came from the executor's interrupt (the reaper thread sends it): " + kill);
        awaitStderr(driver, l -> l.contains("Executor interrupted and killed task") && l.contains("job group " + shape));

        ChildJvm.Line next = runNext(driver);
        assertEquals("10100", next.get("result"), shape + ": the next job's result");
        List<ChildJvm.Line> doubling = driver.events("DOUBLING");
        assertEquals(thread, doubling.get(doubling.size() - 1).number("thread"),
                shape + ": the next job ran on the one executor thread, the one the kill freed");
        System.out.println("spark: " + jdk + ": " + shape + ": with the agent, cancel -> job failed "
                + awaitLine(driver, "JOB_END", "shape", shape).get("ms") + " ms, cancel -> task ended killed "
                + end.get("ms") + " ms (kill delivered " + delivered(kill) + " ms after the interrupt); next job "
                + next.get("result") + " in " + next.get("ms") + " ms on the same thread");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheAgentTheCancelledTaskSpinsOnAndTheNextJobNeverStarts(Jdk jdk) {
        try (ChildJvm driver = driver(jdk, false)) {
            Stuck stuck = runAndCancel(driver, "spin");
            driver.send("next");
            driver.awaitEvent("NEXT_SUBMITTED", STEP);
            awaitStderr(driver, l -> l.contains("Killed task") && l.contains("is still running after"));
            // The reaper's last word in local mode (killTimeout 5 s): it gives up, the JVM lives on.
            String gaveUp = awaitStderr(driver, l -> l.contains("could not be stopped within 5000 ms; not killing JVM"
                    + " because we are running in local mode"));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stuck.cancelledAt());
            long warnings = driver.stderr().stream().filter(l -> l.contains("is still running after")).count();
            assertTrue(driver.isAlive(), "the reaper does not end the JVM in local mode: " + gaveUp);
            assertTrue(driver.events("FINALLY").isEmpty(), "the cancelled function still spins:\n" + driver.describe());
            assertTrue(driver.events("TASK_END").isEmpty(), "the cancelled task never ended:\n" + driver.describe());
            assertTrue(driver.events("DOUBLING").isEmpty() && driver.events("NEXT").isEmpty(),
                    "the next job never got the one executor thread:\n" + driver.describe());
            System.out.println("spark: " + jdk + ": spin: without the agent, cancel -> job failed "
                    + driver.event("JOB_END").get("ms") + " ms, but the task spins on; the reaper warned " + warnings
                    + " times (every 1 s) and gave up about " + ms + " ms after the cancel without killing the JVM"
                    + " (local mode); the next job, submitted at once, had not started");
        }
    }

    /** The executor thread a stuck function runs on, and when the test cancelled its group (System.nanoTime()). */
    private record Stuck(long thread, String name, long cancelledAt) {
    }

    /** Runs the stuck stage, waits until it is stuck, cancels its group, waits until the job has failed. */
    private static Stuck runAndCancel(ChildJvm driver, String shape) {
        driver.send("run " + shape);
        ChildJvm.Line stuck = awaitLine(driver, "STUCK", "shape", shape);
        long cancelledAt = System.nanoTime();
        driver.send("cancel " + shape);
        ChildJvm.Line job = awaitLine(driver, "JOB_END", "shape", shape);
        assertEquals("failed", job.get("status"), shape + ": " + job);
        assertTrue(job.get("error").contains("[SPARK_JOB_CANCELLED]") && job.get("error").contains("job group " + shape),
                shape + ": the job failed with Spark's cancellation: " + job);
        return new Stuck(stuck.number("thread"), stuck.get("name"), cancelledAt);
    }

    /** Waits for a report line of that event whose field has that value, in whatever order the lines came. */
    private static ChildJvm.Line awaitLine(ChildJvm driver, String event, String field, String value) {
        AtomicReference<ChildJvm.Line> found = new AtomicReference<>();
        driver.until(event + " " + field + "=" + value, STEP, () -> driver.events(event).stream()
                .filter(l -> l.get(field).equals(value)).findFirst().map(l -> { found.set(l); return true; }).orElse(false));
        return found.get();
    }

    /** Runs the small correct job and waits for its result. */
    private static ChildJvm.Line runNext(ChildJvm driver) {
        int before = driver.events("NEXT").size();
        driver.send("next");
        driver.until("the next job's result", STEP, () -> driver.events("NEXT").size() > before);
        return driver.events("NEXT").get(before);
    }

    private static String awaitStderr(ChildJvm driver, Predicate<String> matches) {
        driver.until("a matching line on the child's standard error", STEP,
                () -> driver.stderr().stream().anyMatch(matches));
        return driver.stderr().stream().filter(matches).findFirst().orElseThrow();
    }

    private static String delivered(String killLine) {
        Matcher m = DELIVERED.matcher(killLine);
        return m.find() ? m.group(1) : "?";
    }
}
