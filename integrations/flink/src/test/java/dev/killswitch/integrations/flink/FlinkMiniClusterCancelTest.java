package dev.killswitch.integrations.flink;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flink 2.3 (a MiniCluster with one TaskManager and one slot, from Maven Central) cancels jobs whose user function
 * ignores interrupts. Flink cancels a task by interrupting its thread at once and again every
 * {@code task.cancellation.interval}; after {@code task.cancellation.timeout} (5 s here) its watchdog declares the
 * TaskManager failed. With {@code interrupt-kills=true} and only the jobs' package selected, the first interrupt kills
 * the function: each job reaches CANCELED, its {@code finally} runs, and the next job runs in the same slot. Without
 * the agent the watchdog closes the MiniCluster's TaskManager while the function's thread spins on (a TaskManager of
 * its own ends its JVM: {@link FlinkSessionClusterWatchdogTest}).
 */
class FlinkMiniClusterCancelTest {
    /** Only the user's job code: none of Flink's classes need selecting. */
    private static final String RECIPE = "include=com.acme.flink.jobs.**;interrupt-kills=true";
    /** Each stuck shape with the class of its function, in the order they run in one cluster. */
    private static final List<Shape> SHAPES = List.of(new Shape("spin", "SpinningMap"),
            new Shape("sleep", "SwallowingSleepMap"), new Shape("lock", "LockWaitingMap"),
            new Shape("socket", "SocketReadingMap"), new Shape("legacy-source", "PollingLegacySource"));

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration STEP = Duration.ofSeconds(60);

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    private static ChildJvm cluster(Jdk jdk, boolean agent, Path tmp) {
        ChildJvm.Builder b = ChildJvm.with(jdk.require()).jvmArgs("-Duser.language=en", "-Duser.country=US") // log texts
                .jvmArgs("-Djava.io.tmpdir=" + tmp) // Flink's working files, left behind when the JVM is destroyed
                .classPath(Paths.engineClassPath())
                .main("com.acme.flink.StuckJobsDriver");
        ChildJvm child = (agent ? b.agentArgs(RECIPE) : b.withoutAgent()).start();
        child.awaitEvent("READY", START);
        return child;
    }

    private static ChildJvm.Line ask(ChildJvm child, String command, String event) {
        child.send(command);
        return child.awaitEvent(event, STEP);
    }

    /** The kill's own delivery time, from its log line: {@code delivered after 0.95 ms}. */
    static String delivery(String killLine) {
        Matcher m = Pattern.compile("delivered after ([0-9.]+ ms)").matcher(killLine);
        return m.find() ? m.group(1) : "?";
    }

    /**
     * The log lines of delivered kills ({@code WARNING}). Flink may interrupt a task thread again while its kill unwinds
     * it; that interrupt's request coalesces with the kill (an {@code INFO} line) and is not a kill of its own.
     */
    private static List<String> killLines(ChildJvm child) {
        return child.stderr().stream().filter(l -> l.startsWith("WARNING: killswitch: kill of thread ")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyStuckShapeIsCancelledAndTheSlotRunsTheNextJob(Jdk jdk, @TempDir Path tmp) {
        List<String> figures = new ArrayList<>();
        try (ChildJvm child = cluster(jdk, true, tmp)) {
            int shapes = 0;
            for (Shape s : SHAPES) {
                String shape = s.name();
                String where = "shape " + shape + ":\n";
                child.send("run " + shape);
                assertEquals(shape, child.awaitEvent("STUCK", STEP).get("shape"), () -> where + child.describe());

                ChildJvm.Line cancel = ask(child, "cancel " + shape + " 30000", "CANCEL");
                assertEquals("CANCELED", cancel.get("status"), () -> where + child.describe());
                child.until(where + "the function's finally ran", STEP,
                        () -> child.events("FINALLY").stream().anyMatch(l -> l.get("shape").equals(shape)));
                ChildJvm.Line thread = child.askUntil("thread " + shape, "THREAD", l -> !l.flag("alive"), STEP);

                ChildJvm.Line check = ask(child, "check 60000", "CHECK");
                assertEquals("FINISHED", check.get("status"), () -> where + "the next job in the one slot\n" + child.describe());
                assertEquals(10100, check.number("sum"), where + "the next job's result");

                int expected = ++shapes;
                child.until(where + "one kill line per shape", STEP, () -> killLines(child).size() >= expected);
                String kill = killLines(child).get(expected - 1);
                assertTrue(kill.startsWith("WARNING: ") && kill.contains(" \"" + thread.get("name") + "\" delivered")
                        && kill.contains(" at com.acme.flink.jobs." + s.functionClass() + ".")
                        && kill.contains("interrupted by thread"), where + kill);
                assertFalse(kill.contains("instrumented on demand"), where + "no class of Flink's was needed: " + kill);
                figures.add(shape + " " + cancel.number("ms") + " ms (kill delivered in " + delivery(kill) + ")");
            }
            ChildJvm.Line overview = ask(child, "cluster", "CLUSTER");
            assertEquals(1, overview.number("taskManagers"), () -> "the TaskManager is still there\n" + child.describe());
            assertEquals(1, overview.number("freeSlots"), () -> "its slot is free\n" + child.describe());
            assertTrue(child.isAlive());
            assertEquals(SHAPES.size(), killLines(child).size(),
                    () -> "Flink's interrupts of its own threads never became kills: one kill per shape\n" + child.describe());
            assertFalse(child.stderr().stream().anyMatch(l -> l.contains("did not exit gracefully")
                    || l.contains("TaskManager #0 failed")), () -> "the watchdog never acted\n" + child.describe());
            assertTrue(ask(child, "exit 10000", "BYE").flag("closed"), "the cluster shut down: no task thread left behind");
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)));
        }
        System.out.println("flink: " + jdk + ": with the agent, JobClient.cancel() to CANCELED: " + String.join(", ", figures)
                + "; then the next job ran in the same slot each time");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheAgentTheWatchdogClosesTheTaskManagerAndTheFunctionSpinsOn(Jdk jdk, @TempDir Path tmp) {
        try (ChildJvm child = cluster(jdk, false, tmp)) {
            child.send("run spin");
            child.awaitEvent("STUCK", STEP);
            ChildJvm.Line cancelling = ask(child, "cancel spin 30000", "STATUS");
            assertEquals("CANCELLING", cancelling.get("status"), () -> child.describe());
            // Flink's interrupts, one a second, change nothing: then its watchdog gives up on the TaskManager.
            child.awaitStderr(l -> l.contains("did not react to cancelling signal - interrupting"));
            assertTrue(child.events("CANCEL").isEmpty(), () -> "still cancelling after Flink's second interrupt\n"
                    + child.describe());
            child.awaitStderr(l -> l.contains("ERROR") && l.contains("Task did not exit gracefully within 5 + seconds."));
            child.awaitStderr(l -> l.contains("ERROR") && l.contains("TaskManager #0 failed."));
            // The job is then reported CANCELED, with no TaskManager left, while its thread still spins in this JVM.
            ChildJvm.Line cancel = child.awaitEvent("CANCEL", STEP);
            assertEquals("CANCELED", cancel.get("status"), () -> child.describe());
            ChildJvm.Line thread = ask(child, "thread spin", "THREAD");
            assertTrue(thread.flag("alive") && thread.get("top").contains("com.acme.flink.jobs.SpinningMap.map"),
                    () -> thread + "\n" + child.describe());
            child.askUntil("cluster", "CLUSTER", l -> l.number("taskManagers") == 0, STEP); // the MiniCluster closed it
            assertTrue(child.events("FINALLY").isEmpty(), () -> "the function never ended\n" + child.describe());
            assertTrue(child.isAlive(), "a MiniCluster's watchdog closes the TaskManager, not the JVM");
            System.out.println("flink: " + jdk + ": without the agent, the job was CANCELLING for " + cancel.number("ms")
                    + " ms, until the watchdog (5 s) failed the TaskManager; then CANCELED with the function still spinning,"
                    + " no TaskManager left, the JVM alive");
        }
    }

    private record Shape(String name, String functionClass) {
    }
}
