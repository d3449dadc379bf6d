package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.it.child.JmxClient;
import dev.killswitch.it.child.OwnJmxSetupApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MXBean, used as JConsole or jmxterm use it: from a separate JVM that has none of the agent's
 * classes, through generic JMX calls and open types only.
 */
class JmxControlTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    static ChildJvm target(Jdk jdk) {
        ChildJvm target = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**").classPath(Paths.fixtures("java17"))
                .main(ControlTarget.class).start();
        target.awaitEvent("READY");
        return target;
    }

    static ChildJvm client(Jdk jdk, ChildJvm target) {
        ChildJvm client = ChildJvm.with(jdk.require()).withoutAgentJar().main(JmxClient.class).args(Long.toString(target.pid())).start();
        ChildJvm.Line connected = client.awaitEvent("CONNECTED");
        assertTrue(connected.flag("registered"), "the MXBean is registered once the management agent runs:\n" + client.describe());
        assertFalse(connected.flag("agentClassesVisible"), "the client has none of the agent's classes");
        return client;
    }

    /** What JConsole's operation table and Jolokia's list show: names and descriptions, not p0 and the name again. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theMXBeanDescribesItself(Jdk jdk) {
        try (ChildJvm target = target(jdk); ChildJvm client = client(jdk, target)) {
            ChildJvm.Line info = client.ask("INFO", "INFO");
            assertEquals("kill(long threadId, java.lang.String reason)", info.get("op.kill"), info.toString());
            assertEquals("killByName(java.lang.String nameRegex, java.lang.String reason)", info.get("op.killByName"), info.toString());
            assertEquals("cancelKill(long threadId)", info.get("op.cancelKill"), info.toString());
            assertTrue(info.get("killDescription").startsWith("Kills the platform or virtual thread with this id"), info.toString());
            assertTrue(info.get("description").startsWith("Kills threads that run selected code"), info.toString());
            assertEquals(0, info.number("undescribed"), "every operation and attribute has a description of its own: " + info);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aJmxClientKillsByIdAndByNameAndReadsTheFigures(Jdk jdk) {
        try (ChildJvm target = target(jdk)) {
            long victim = target.ask("START victim com.acme.control.Runaways spin", "STARTED").number("id");
            target.ask("START batch-1 com.acme.shapes.Shapes whileLoop", "STARTED");
            target.ask("START batch-2 com.acme.control.Runaways callLoop", "STARTED");
            try (ChildJvm client = client(jdk, target)) {
                ChildJvm.Line before = client.ask("ATTRIBUTES", "ATTRIBUTES");
                assertEquals("true", before.get("Active"), before.toString());
                assertEquals("com.acme.**", before.get("Include"), before.toString());
                assertTrue(before.number("InstrumentedClasses") >= 2, before.toString());
                assertTrue(before.number("BackEdgeKillPoints") > 0, before.toString());
                assertTrue(before.number("MethodEntryKillPoints") > 0, before.toString());
                assertEquals(0, before.number("KillsRequested"), before.toString());
                assertEquals("NaN", before.get("DeliveryLatencyP50Millis"), "no latency before a kill, rather than 0: " + before);

                ChildJvm.Line killed = client.ask("KILL " + victim + " runaway found by operations", "ANSWER");
                String answer = killed.get("text");
                assertTrue(answer.startsWith("kill of thread " + victim + " \"victim\""), answer);
                assertEquals(victim, killed.number("threadId"), killed.toString());
                assertEquals("victim", killed.get("threadName"), killed.toString());
                assertEquals("runaway found by operations", killed.get("reason"), killed.toString());
                assertEquals(1, killed.number("request"), killed.toString());
                assertTrue(Set.of("DELIVERED", "PENDING").contains(killed.get("status")), killed.toString());
                ChildJvm.Line died = target.awaitEvent("DIED");
                assertEquals("victim", died.get("name"), died.toString());
                assertEquals("dev.killswitch.ThreadKilledError", died.get("error"), died.toString());
                assertEquals("Thread killed by killswitch: runaway found by operations", died.get("message"), died.toString());
                ChildJvm.Line status = client.askUntil("STATUS " + victim, "STATUS", l -> l.flag("threadEnded"), Duration.ofSeconds(10));
                assertEquals("DELIVERED", status.get("status"), status.toString());
                assertTrue(status.get("deliveredAt").startsWith("com.acme.control.Runaways.spin("), status.toString());
                assertTrue(status.decimal("latencyMillis") > 0, status.toString());
                assertEquals(1, status.number("request"), status.toString());

                ChildJvm.Line byName = client.ask("KILL_BY_NAME batch-\\d batch cancelled", "ANSWER");
                assertEquals(2, byName.number("count"), byName.toString());
                assertTrue(byName.get("statuses").matches("(DELIVERED|PENDING),(DELIVERED|PENDING)"), byName.toString());
                assertEquals(Set.of("batch-1", "batch-2"), Set.of(target.awaitEvent("DIED").get("name"), target.awaitEvent("DIED").get("name")),
                        target.describe());

                ChildJvm.Line after = client.askUntil("ATTRIBUTES", "ATTRIBUTES", l -> l.number("KillsDelivered") == 3, Duration.ofSeconds(10));
                assertEquals(3, after.number("KillsRequested"), after.toString());
                assertEquals(0, after.number("KillsPending"), after.toString());
                double p50 = after.decimal("DeliveryLatencyP50Millis");
                double p99 = after.decimal("DeliveryLatencyP99Millis");
                double max = after.decimal("DeliveryLatencyMaxMillis");
                assertTrue(p50 > 0 && p50 <= p99 && p99 <= max, after.toString());

                client.send("THREADS");
                assertTrue(client.awaitEvent("THREADS").number("count") >= 2, client.describe());
                List<String> names = client.events("THREAD").stream().map(l -> l.get("name")).collect(Collectors.toList());
                assertTrue(names.contains("main"), names.toString());
                assertFalse(names.contains("victim"), "dead threads are not listed: " + names);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void eachBadRequestGetsAClearAnswerAndTheApplicationCarriesOn(Jdk jdk) {
        try (ChildJvm target = target(jdk)) {
            target.ask("START survivor com.acme.control.Runaways callLoop", "STARTED");
            try (ChildJvm client = client(jdk, target)) {
                // Bad arguments are errors a JMX client (or a JSON bridge) can tell from answers, each with a sentence.
                ChildJvm.Line noThread = client.ask("KILL 987654321 why", "ANSWER");
                assertEquals(IAE, noThread.get("error"), noThread.toString());
                assertEquals("no live thread with id 987654321", firstClause(noThread.get("text")));
                ChildJvm.Line noDescription = client.ask("DESCRIBE 987654321", "ANSWER");
                assertEquals(IAE, noDescription.get("error"), noDescription.toString());
                assertTrue(noDescription.get("text").startsWith("no live thread with id 987654321"), noDescription.toString());
                ChildJvm.Line noStatus = client.ask("STATUS 987654321", "STATUS");
                assertEquals(IAE, noStatus.get("error"), noStatus.toString());
                assertTrue(noStatus.get("text").endsWith("and no kill of it was requested through JMX"), noStatus.toString());
                ChildJvm.Line notAPattern = client.ask("KILL_BY_NAME ( why", "ANSWER");
                assertEquals(IAE, notAPattern.get("error"), notAPattern.toString());
                assertEquals("not a regular expression: Unclosed group in \"(\"", notAPattern.get("text"));
                ChildJvm.Line nobody = client.ask("KILL_BY_NAME nobody-.* why", "ANSWER");
                assertEquals(IAE, nobody.get("error"), nobody.toString());
                assertTrue(nobody.get("text").startsWith("no live thread's name matches \"nobody-.*\""), nobody.toString());
                ChildJvm.Line nullPattern = client.ask("KILL_BY_NAME_NULL", "ANSWER");
                assertEquals(IAE, nullPattern.get("error"), nullPattern.toString());
                assertEquals("no name pattern given: pass a regular expression that thread names must match as a whole",
                        nullPattern.get("text"), nullPattern.toString());
                ChildJvm.Line noCancel = client.ask("CANCEL 987654321", "ANSWER");
                assertEquals(IAE, noCancel.get("error"), noCancel.toString());

                long system = systemThreadId(client);
                ChildJvm.Line refusal = client.ask("KILL " + system + " why", "ANSWER");
                assertEquals("SYSTEM_THREAD", refusal.get("status"), refusal.toString());
                String refused = refusal.get("text");
                assertTrue(refused.matches("kill of thread " + system + " \".+\" refused: it is a JVM system thread \\(thread group"
                        + " \"system\"\\), which is never killed"), refused);
                ChildJvm.Line leftAlone = client.ask("KILL_BY_NAME Reference.* why", "ANSWER");
                assertEquals(IAE, leftAlone.get("error"), leftAlone.toString());
                assertTrue(leftAlone.get("text").contains("1 JVM system or agent thread(s) matched and were left alone"), leftAlone.toString());

                ChildJvm.Line attributes = client.ask("ATTRIBUTES", "ATTRIBUTES");
                assertEquals(0, attributes.number("KillsRequested"), "no bad request reached the kill machinery: " + attributes);
            }
            assertTrue(target.ask("ALIVE? survivor", "ALIVE").flag("alive"), target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aNamePatternThatBacktracksWithoutEndIsStoppedAndSaysSoAndNothingIsKilled(Jdk jdk) {
        try (ChildJvm target = target(jdk)) {
            String forty = "a".repeat(40);
            target.ask("START " + forty + " com.acme.control.Runaways callLoop", "STARTED");
            try (ChildJvm client = client(jdk, target)) {
                ChildJvm.Line slow = client.ask("KILL_BY_NAME ((a+)+)+b why", "ANSWER");
                assertEquals(IAE, slow.get("error"), slow.toString());
                String answer = slow.get("text");
                assertTrue(answer.startsWith("the name pattern \"((a+)+)+b\" needed more than 1,000,000 steps to match the thread name \""
                        + forty + "\""), answer);
                assertTrue(answer.endsWith("nothing was killed: write a simpler pattern"), answer);
                assertEquals(0, client.ask("ATTRIBUTES", "ATTRIBUTES").number("KillsRequested"));
            }
            assertTrue(target.ask("ALIVE? " + forty, "ALIVE").flag("alive"), target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aPendingKillIsCancelledOverJmxAndTheThreadRunsOnAndAnEscalationLands(Jdk jdk) {
        try (ChildJvm target = target(jdk)) {
            target.ask("START holder com.acme.blocking.MonitorCase hold", "STARTED");
            target.askUntil("ALIVE? holder", "ALIVE", l -> l.get("state").equals("TIMED_WAITING"), Duration.ofSeconds(10));
            long blocked = target.ask("START blocked com.acme.blocking.MonitorCase enter", "STARTED").number("id");
            target.askUntil("ALIVE? blocked", "ALIVE", l -> l.get("state").equals("BLOCKED"), Duration.ofSeconds(10));
            try (ChildJvm client = client(jdk, target)) {
                assertTrue(client.ask("KILL " + blocked + " to be cancelled", "ANSWER").get("text").contains("pending"));
                ChildJvm.Line cancelled = client.ask("CANCEL " + blocked, "ANSWER");
                assertEquals("the pending kill of thread " + blocked + " \"blocked\" is cancelled", cancelled.get("text"));
                assertEquals("CANCELLED", cancelled.get("status"), cancelled.toString());
                assertEquals("CANCELLED", client.ask("STATUS " + blocked, "STATUS").get("status"));
                ChildJvm.Line nothingToCancel = client.ask("CANCEL " + blocked, "ANSWER");
                assertEquals("thread " + blocked + " \"blocked\" has no pending kill to cancel", nothingToCancel.get("text"));
                assertEquals("NONE", nothingToCancel.get("status"), nothingToCancel.toString());
                target.ask("RELEASE", "RELEASED");
                target.askUntil("ALIVE? blocked", "ALIVE", l -> l.get("state").equals("RUNNABLE"), Duration.ofSeconds(10));
                assertTrue(target.ask("ALIVE? blocked", "ALIVE").flag("alive"), "the cancelled kill did not land: " + target.describe());

                // The answer is written a moment after the request: delivered by then, or about to be on a busy machine.
                String escalated = client.ask("ESCALATE " + blocked + " escalated", "ANSWER").get("text");
                assertTrue(escalated.contains("delivered") || escalated.contains("pending"), escalated);
                assertEquals("blocked", target.awaitEvent("DIED").get("name"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillThatCannotLandSaysWhoHoldsTheMonitorAndLandsOnceTheHolderIsKilled(Jdk jdk) {
        try (ChildJvm target = target(jdk)) {
            long holder = target.ask("START holder com.acme.blocking.MonitorCase hold", "STARTED").number("id");
            target.askUntil("ALIVE? holder", "ALIVE", l -> l.get("state").equals("TIMED_WAITING"), Duration.ofSeconds(10));
            long blocked = target.ask("START blocked com.acme.blocking.MonitorCase enter", "STARTED").number("id");
            target.askUntil("ALIVE? blocked", "ALIVE", l -> l.get("state").equals("BLOCKED"), Duration.ofSeconds(10));
            try (ChildJvm client = client(jdk, target)) {
                String answer = client.ask("KILL " + blocked + " why", "ANSWER").get("text");
                assertTrue(answer.startsWith("kill of thread " + blocked + " \"blocked\" pending for"), answer);
                String why = "held by thread " + holder + " \"holder\"";
                // The answer says why as far as the deliverer has looked by then, which a busy machine may delay: asked again.
                ChildJvm.Line status = client.askUntil("STATUS " + blocked, "STATUS", l -> l.get("whyNotDelivered").contains(why),
                        Duration.ofSeconds(20));
                assertEquals("PENDING", status.get("status"), status.toString());
                assertTrue(status.get("whyNotDelivered").contains("BLOCKED"), status.toString());
                String described = client.ask("DESCRIBE " + blocked, "ANSWER").get("text");
                assertTrue(described.startsWith("thread " + blocked + " \"blocked\" (daemon), BLOCKED"), described);
                assertTrue(described.contains("in selected code at com.acme.blocking.MonitorCase.enter("), described);
                assertTrue(described.contains("kill: kill of thread " + blocked + " \"blocked\" pending"), described);

                client.ask("KILL " + holder + " frees the monitor", "ANSWER");
                assertEquals(Set.of("holder", "blocked"), Set.of(target.awaitEvent("DIED").get("name"), target.awaitEvent("DIED").get("name")),
                        target.describe());
                ChildJvm.Line delivered = client.askUntil("STATUS " + blocked, "STATUS", l -> l.flag("threadEnded"), Duration.ofSeconds(10));
                assertEquals("DELIVERED", delivered.get("status"), delivered.toString());
                assertEquals("", delivered.get("whyNotDelivered"), delivered.toString());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theAgentLeavesLoggingAndJmxSetUpToTheApplicationAndRegistersOnceItExists(Jdk jdk) {
        try (ChildJvm app = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**;debug=true").main(OwnJmxSetupApp.class).start()) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.describe());
            ChildJvm.Line setup = app.event("SETUP");
            assertEquals(OwnJmxSetupApp.AppLogManager.class.getName(), setup.get("logManager"), app.describe());
            assertTrue(setup.flag("builtByApp"), "the platform MBean server was built by the application's builder:\n" + app.describe());
            assertTrue(setup.flag("killswitchRegistered"), app.describe());
            assertTrue(app.stderr().contains("killswitch: registered the MXBean dev.killswitch:type=Killswitch"), app.describe());
        }
    }

    static long systemThreadId(ChildJvm client) {
        client.send("THREADS");
        for (;;) {
            ChildJvm.Line row = client.awaitEvent("THREAD");
            if (row.get("name").equals("Reference Handler")) {
                client.awaitEvent("THREADS");
                return row.number("id");
            }
        }
    }

    private static final String IAE = IllegalArgumentException.class.getName();

    private static String firstClause(String text) {
        int cut = text.indexOf(" among");
        return cut < 0 ? text : text.substring(0, cut);
    }
}
