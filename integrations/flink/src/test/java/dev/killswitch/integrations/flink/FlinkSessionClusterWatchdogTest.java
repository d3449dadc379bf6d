package dev.killswitch.integrations.flink;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Flink 2.3 session cluster in separate JVMs (JobManager, TaskManager, client), started through Flink's own entry
 * points: cancelling a job stuck in a spinning map function. Without the agent, Flink's watchdog declares a fatal error
 * after {@code task.cancellation.timeout} and the TaskManager's JVM exits. A TaskManager started with the agent in its
 * place ({@code env.java.opts.taskmanager} in a real cluster) gets the same job cancelled cleanly and runs the next.
 */
class FlinkSessionClusterWatchdogTest {
    private static final String RECIPE = "include=com.acme.flink.jobs.**;interrupt-kills=true";
    private static final Duration STEP = Duration.ofSeconds(60);

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    private static ChildJvm.Line ask(ChildJvm child, String command, String event) {
        child.send(command);
        return child.awaitEvent(event, STEP);
    }

    /** Until that TaskManager is the cluster's only one, and its slot is free. */
    private static void awaitOnly(ChildJvm client, String taskManager) {
        client.askUntil("cluster", "CLUSTER", l -> l.get("ids").equals(taskManager) && l.get("freeSlots").equals("1"), STEP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theWatchdogEndsATaskManagerWithoutTheAgentAndOneWithTheAgentCancelsCleanly(Jdk jdk, @TempDir Path dir) {
        SessionCluster cluster = new SessionCluster(jdk, dir);
        try (ChildJvm jobManager = cluster.jobManager(); ChildJvm plain = cluster.taskManager("plain", null);
             ChildJvm client = cluster.client()) {
            client.awaitEvent("READY", STEP);
            awaitOnly(client, "plain");

            client.send("run spin");
            plain.awaitEvent("STUCK", STEP);
            // A replacement TaskManager starts meanwhile; the next job waits until it is the only one.
            try (ChildJvm withAgent = cluster.taskManager("with-agent", RECIPE)) {
                long cancelled = System.nanoTime();
                ChildJvm.Line cancel = ask(client, "cancel spin 60000", "CANCEL");
                plain.awaitStderr(l -> l.contains("ERROR") && l.contains("Task did not exit gracefully within 5 + seconds."));
                plain.awaitStderr(l -> l.contains("Fatal error occurred while executing the TaskManager. Shutting it down..."));
                // The JobManager reports the job CANCELED once it has lost the TaskManager that ran it.
                assertEquals("CANCELLING", client.events("STATUS").get(0).get("status"), () -> client.describe());
                assertEquals("CANCELED", cancel.get("status"), () -> client.describe());

                awaitOnly(client, "with-agent");
                client.send("run spin");
                ChildJvm.Line stuck = withAgent.awaitEvent("STUCK", STEP);
                assertTrue(stuck.get("loader").contains("ChildFirstClassLoader"),
                        () -> "the job's classes came from its jar, through Flink's user-code class loader: " + stuck);
                ChildJvm.Line killed = ask(client, "cancel spin 60000", "CANCEL");
                assertEquals("CANCELED", killed.get("status"), () -> client.describe() + "\n" + withAgent.describe());
                withAgent.awaitEvent("FINALLY", STEP);
                String kill = withAgent.awaitStderr(l -> l.startsWith("WARNING: killswitch: kill of thread "));
                assertTrue(kill.contains(" at com.acme.flink.jobs.SpinningMap.map(") && kill.contains("interrupted by thread"), kill);
                ChildJvm.Line check = ask(client, "check 60000", "CHECK");
                assertEquals("FINISHED", check.get("status"), () -> client.describe() + "\n" + withAgent.describe());
                assertEquals(10100, check.number("sum"));

                int exit = plain.awaitExit(STEP);
                long exitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled);
                assertEquals(1, exit, () -> "the watchdog ended the first TaskManager's JVM\n" + plain.describe());
                plain.awaitOutputEnd();
                assertTrue(plain.stderr().stream().anyMatch(l -> l.contains("Waiting for TaskManager shutting down timed out")),
                        () -> "its shutdown waited for the spinning task in vain\n" + plain.describe());
                assertTrue(plain.events("FINALLY").isEmpty(), () -> "its function never ended\n" + plain.describe());
                assertTrue(withAgent.isAlive() && jobManager.isAlive());
                assertEquals("with-agent", ask(client, "cluster", "CLUSTER").get("ids"), () -> withAgent.describe());
                assertFalse(withAgent.stderr().stream().anyMatch(l -> l.contains("did not exit gracefully")),
                        () -> withAgent.describe());
                // Delivered kills only: an interrupt while the kill unwinds the thread coalesces with it (an INFO line).
                assertEquals(1, withAgent.stderr().stream().filter(l -> l.startsWith("WARNING: killswitch: kill of thread ")).count(),
                        () -> "Flink's interrupts of its own threads never became kills\n" + withAgent.describe());
                System.out.println("flink: " + jdk + ": session cluster: without the agent the job was CANCELED after "
                        + cancel.number("ms") + " ms (the watchdog, 5 s) and the TaskManager's JVM exited with " + exit
                        + " (" + exitedMs + " ms after the cancel); with the agent on the TaskManager, CANCELED after "
                        + killed.number("ms") + " ms (kill delivered in " + FlinkMiniClusterCancelTest.delivery(kill)
                        + "), and the next job ran in its slot");
            }
        }
    }
}
