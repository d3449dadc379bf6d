package dev.killswitch.integrations.agents;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * killswitch, the OpenTelemetry Java agent and the JaCoCo agent on one JVM, in both orders of {@code -javaagent}. One
 * child JVM per JDK and order runs, one after another: real work in a traced method; a runaway traced job killed
 * through the API; the same job recording its progress on its span (so the kill comes while the thread runs the
 * OpenTelemetry agent's code); real work again. Then it exits, and the spans OpenTelemetry exported and the coverage
 * file JaCoCo wrote are checked. Without killswitch the same kill is refused and the job spins on.
 */
class KillswitchBesideOtherAgentsTest {
    /**
     * The configuration a user gives, on-demand left at its default ({@code all}): a kill that finds the victim running
     * the other agents' code (OpenTelemetry's SDK, its class-loader hooks, Byte Buddy) never instruments it, and waits
     * until the victim is back in code it may change.
     */
    static final String RECIPE = "include=com.acme.**";
    private static final long SUM_OF_FIRST_1000_PRIMES = 3_682_913L;
    private static final String THREAD_KILLED_ERROR = "dev.killswitch.ThreadKilledError";
    private static final Duration START = Duration.ofSeconds(120); // the OpenTelemetry agent under -Xverify:all, 2 cores
    private static final Duration STEP = Duration.ofSeconds(60);

    /** Which agent's transformer sees the classes first. */
    enum Order {
        KILLSWITCH_FIRST("killswitch first"), OTHERS_FIRST("OpenTelemetry and JaCoCo first");

        private final String text;

        Order(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<Arguments> jdksAndOrders() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of(Order.values()).map(order -> Arguments.of(jdk, order)));
    }

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("jdksAndOrders")
    void killsLandInClassesAllThreeAgentsChangedAndTheirWorkIsIntact(Jdk jdk, Order order, @TempDir Path dir) throws Exception {
        Path coverage = dir.resolve("jacoco.exec");
        List<String> agents = new ArrayList<>(List.of(openTelemetry(), jacoco(coverage)));
        agents.add(order == Order.KILLSWITCH_FIRST ? 0 : agents.size(), killswitch());
        try (ChildJvm app = start(jdk, agents)) {
            ChildJvm.Line ready = app.awaitEvent("READY", START);
            assertTrue(ready.flag("killswitch"), "killswitch is active beside the others: " + app.describe());

            // The application works.
            String workSpan = assertWorks(app);

            // A runaway traced job: killed in its own loop, its finally runs, OpenTelemetry ends its span with the error.
            Kill plain = killRunaway(app, "SPIN", "runaway job", "com.acme.agents.app.ReportJob.runaway(");
            // The same job recording progress on its span: most samples find it in OpenTelemetry's code, and the kill
            // still lands in the job's own code.
            Kill progress = killRunaway(app, "SPIN progress", "runaway job recording progress on its span",
                    "com.acme.agents.app.ReportJob.runawayWithProgress(");

            // The application still works after the kills, and still traces.
            String workSpanAfter = assertWorks(app);

            app.send("EXIT");
            assertEquals(0, app.awaitExit(STEP), app.describe());
            app.awaitOutputEnd();

            for (String spanId : List.of(workSpan, workSpanAfter)) {
                String span = ExportedSpans.span(app.stderr(), spanId).orElseThrow();
                assertFalse(ExportedSpans.hasErrorStatus(span), "the work's span has no error: " + span);
            }
            Map<String, Integer> hits = CoverageFile.probesHit(coverage);
            for (String covered : List.of("com/acme/agents/app/ReportJob", "com/acme/agents/app/ReportApp")) {
                assertTrue(hits.getOrDefault(covered, 0) > 0, "JaCoCo's file covers " + covered + ": " + hits);
            }
            assertNoAgentTrouble(app, true, 2);
            System.out.println("agents: " + jdk + ": " + order + ": start-up (JVM start to main) " + ready.get("startupMs")
                    + " ms; JaCoCo covered " + hits.size() + " classes (" + hits + ")");
            for (Kill kill : List.of(plain, progress)) {
                System.out.println("agents: " + jdk + ": " + order + ": " + kill.job + ": delivered after "
                        + Kill.millis(kill.deliveredMicros) + ", thread dead after " + Kill.millis(kill.deadMicros)
                        + ", at " + kill.at + "; OpenTelemetry recorded: " + kill.recorded);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutKillswitchTheOtherAgentsWorkAndTheRunawayJobSpinsOn(Jdk jdk, @TempDir Path dir) throws Exception {
        Path coverage = dir.resolve("jacoco.exec");
        // The agent jar on the class path only, for the API: its kills are refused.
        try (ChildJvm app = start(jdk, List.of(openTelemetry(), jacoco(coverage)), Paths.agentJar())) {
            ChildJvm.Line ready = app.awaitEvent("READY", START);
            assertFalse(ready.flag("killswitch"), app.describe());
            String workSpan = assertWorks(app);
            app.send("SPIN");
            String spanId = app.awaitEvent("SPINNING", STEP).get("spanId");
            ChildJvm.Line killed = app.ask("KILL", "KILLED");
            assertEquals("AGENT_INACTIVE", killed.get("status"), killed.toString());
            assertTrue(killed.flag("alive"), "the job spins on: " + killed);
            assertWorks(app);
            app.send("EXIT");
            assertEquals(0, app.awaitExit(STEP), app.describe());
            app.awaitOutputEnd();
            assertTrue(app.events("FINALLY").isEmpty(), app.describe());
            assertTrue(ExportedSpans.span(app.stderr(), workSpan).isPresent(), app.describe());
            assertTrue(ExportedSpans.span(app.stderr(), spanId).isEmpty(),
                    "the runaway job's span never ends, so it is never exported: " + app.describe());
            assertTrue(CoverageFile.probesHit(coverage).getOrDefault("com/acme/agents/app/ReportJob", 0) > 0);
            assertNoAgentTrouble(app, false, 0);
            System.out.println("agents: " + jdk + ": OpenTelemetry and JaCoCo without killswitch: start-up (JVM start to main) "
                    + ready.get("startupMs") + " ms; the kill is refused (AGENT_INACTIVE), the runaway job spins on and its span is never exported");
        }
    }

    /** Runs real work in a traced method; returns the id of its span once OpenTelemetry has exported it. */
    private static String assertWorks(ChildJvm app) {
        ChildJvm.Line worked = app.ask("WORK 1000", "WORKED");
        assertEquals(SUM_OF_FIRST_1000_PRIMES, worked.number("sum"), worked.toString());
        String spanId = worked.get("spanId");
        app.awaitStderr(l -> ExportedSpans.isExportLine(l) && l.contains("\"spanId\":\"" + spanId + "\""));
        return spanId;
    }

    /** Starts a runaway job, kills it, and checks what each agent did with it. */
    private static Kill killRunaway(ChildJvm app, String command, String job, String frame) {
        app.send(command);
        ChildJvm.Line spinning = app.awaitEvent("SPINNING", STEP);
        app.send("KILL");
        // Printed in this order: the job's finally, its thread's uncaught-exception handler, then the killer.
        assertEquals("report-job", app.awaitEvent("FINALLY", STEP).get("thread"), "its finally ran: " + app.describe());
        ChildJvm.Line died = app.awaitEvent("DIED");
        assertEquals(THREAD_KILLED_ERROR, died.get("error"), died.toString());
        ChildJvm.Line killed = app.awaitEvent("KILLED");
        assertEquals("DELIVERED", killed.get("status"), app.describe());
        assertTrue(killed.flag("ended") && !killed.flag("alive"), "the thread died: " + killed);
        assertTrue(killed.get("at").startsWith(frame), "landed in the job's own code: " + killed);
        String onDemand = killed.get("onDemand");
        assertTrue(onDemand.isEmpty() || Stream.of(onDemand.split(",")).allMatch(c -> c.startsWith("com.acme.")),
                "the kill instrumented none of the other agents' classes on demand: " + killed);
        app.awaitStderr(l -> l.startsWith("WARNING: killswitch: kill of thread ") && l.contains("\"report-job\" delivered")
                && l.contains(frame));

        String spanId = spinning.get("spanId");
        app.awaitStderr(l -> ExportedSpans.isExportLine(l) && l.contains("\"spanId\":\"" + spanId + "\""));
        String span = ExportedSpans.span(app.stderr(), spanId).orElseThrow();
        assertTrue(span.contains("\"traceId\":\"" + spinning.get("traceId") + "\""), span);
        assertTrue(ExportedSpans.isEnded(span), "the span was ended: " + span);
        assertTrue(ExportedSpans.hasErrorStatus(span), "the span has an error status: " + span);
        assertTrue(ExportedSpans.hasExceptionEvent(span, THREAD_KILLED_ERROR), "the span records the kill: " + span);
        return new Kill(job, killed.number("deliveredAfterMicros"), killed.number("killToDeadMicros"), killed.get("at"),
                "span ended, status ERROR, event exception " + THREAD_KILLED_ERROR);
    }

    /**
     * No class failed verification or transformation, no thread died of anything but the kills, OpenTelemetry logged no
     * error, and killswitch printed only its start-up line (its kills go to the log as WARNING lines).
     */
    private static void assertNoAgentTrouble(ChildJvm app, boolean killswitch, int kills) {
        List<String> own = app.stderr().stream().filter(l -> !ExportedSpans.isExportLine(l)).collect(Collectors.toList());
        for (String bad : List.of("VerifyError", "StackOverflowError", "Exception in thread", "IllegalClassFormatException",
                "Error while instrumenting", " ERROR ", " WARN ")) {
            assertTrue(own.stream().noneMatch(l -> l.contains(bad)), "no '" + bad + "' on standard error:\n" + app.describe());
        }
        List<String> agentLines = app.agentLines();
        assertEquals(killswitch ? 1 : 0, agentLines.size(), "killswitch's own lines: " + agentLines);
        assertTrue(agentLines.stream().allMatch(l -> l.startsWith("killswitch: active, include=com.acme.**")), agentLines.toString());
        assertEquals(kills, own.stream().filter(l -> l.startsWith("WARNING: killswitch: kill of thread ")).count(), app.describe());
    }

    private static ChildJvm start(Jdk jdk, List<String> agents, Path... classPath) {
        List<String> jvmArgs = new ArrayList<>(agents);
        jvmArgs.addAll(List.of("-Duser.language=en", "-Duser.country=US", // JUL's level words, as the test reads them
                "-Dotel.service.name=report-app", "-Dotel.traces.exporter=logging-otlp",
                "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                "-Dotel.bsp.schedule.delay=200", // export spans within the test's waits, not only at exit
                // Only the instrumentations this application uses (its internal ones, class-loader hooks included,
                // stay on): under -Xverify:all all of them cost 15 to 35 s of start-up per JVM on 2 cores.
                "-Dotel.instrumentation.common.default-enabled=false",
                "-Dotel.instrumentation.opentelemetry-instrumentation-annotations.enabled=true",
                "-Dotel.instrumentation.opentelemetry-api.enabled=true"));
        return ChildJvm.with(jdk.require()).withoutAgentJar() // every -javaagent in jvmArgs, in the order given
                .jvmArgs(jvmArgs.toArray(new String[0]))
                .classPath(Paths.engineClassPath()).classPath(classPath)
                .main("com.acme.agents.app.ReportApp").start();
    }

    private static String killswitch() {
        return "-javaagent:" + Paths.agentJar() + "=" + RECIPE;
    }

    private static String openTelemetry() {
        return "-javaagent:" + existing("opentelemetry.agent.jar");
    }

    /** Coverage of the application's classes only, as a deployment would configure it. */
    private static String jacoco(Path destfile) {
        return "-javaagent:" + existing("jacoco.agent.jar") + "=destfile=" + destfile + ",includes=com.acme.*";
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.exists(Path.of(value))) {
            throw new IllegalStateException("system property " + property + " names no file (" + value
                    + "): run the tests through Maven, which copies the agent jars to target/agents");
        }
        return Path.of(value);
    }

    /** One kill as the child measured it, and what OpenTelemetry recorded for the killed job's span. */
    private record Kill(String job, long deliveredMicros, long deadMicros, String at, String recorded) {
        static String millis(long micros) {
            return String.format(java.util.Locale.ROOT, "%.2f ms", micros / 1000.0);
        }
    }
}
