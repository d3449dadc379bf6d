package dev.killswitch.it;

import dev.killswitch.it.child.DeadlineApp;
import dev.killswitch.it.child.PlainApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deadline=com.acme.deadline.Jobs.report:200ms and Killswitch.callWithDeadline in a child JVM with the
 * real agent jar: an overrun is killed and reported like any kill (handle, MXBean counters, log line);
 * a method or call that finishes in time is untouched.
 */
class DeadlinesTest {
    private static final String ARGS = "include=com.acme.**;deadline=com.acme.deadline.Jobs.report:200ms";
    private static final Map<String, ChildJvm> CHILDREN = new ConcurrentHashMap<>();

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aThreadStuckInAMethodWithADeadlineIsKilledAndReportedLikeAnyKill(Jdk jdk) {
        ChildJvm child = child(jdk);
        ChildJvm.Line counters = child.askUntil("COUNTERS?", "COUNTERS", l -> l.flag("registered"), Duration.ofSeconds(15));
        ChildJvm.Line ran = child.ask("REPORT -1", "REPORTED");
        assertFalse(ran.flag("alive"), ran.toString());
        assertEquals("dev.killswitch.ThreadKilledError", ran.get("died"), ran.toString());
        assertEquals("Thread killed by killswitch: deadline exceeded: more than 200ms in com.acme.deadline.Jobs.report"
                + " (deadline=com.acme.deadline.Jobs.report:200ms)", ran.get("message"));
        assertTrue(ran.get("at").startsWith("com.acme.deadline.Jobs."), "delivered at a kill point: " + ran);
        assertTrue(ran.flag("cleanupRan"), ran.toString());
        // The arming thread counts a delivery once the victim has thrown: it may not have counted it yet when the thread has ended.
        ChildJvm.Line after = child.askUntil("COUNTERS?", "COUNTERS", l -> l.number("delivered") > counters.number("delivered"),
                Duration.ofSeconds(10));
        assertEquals(counters.number("requested") + 1, after.number("requested"), after.toString());
        assertEquals(counters.number("delivered") + 1, after.number("delivered"), after.toString());
        String logged = child.awaitStderr(l -> l.startsWith("killswitch: thread ") && l.contains("\"report-job\": deadline exceeded"));
        assertTrue(logged.endsWith("; killing it"), logged);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aMethodThatReturnsInTimeIsUntouched(Jdk jdk) {
        ChildJvm child = child(jdk);
        ChildJvm.Line ran = child.ask("REPORT 1000", "REPORTED");
        assertEquals("report of 1000 rows", ran.get("result"), ran.toString());
        assertEquals("none", ran.get("died"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void callWithDeadlineTurnsAnOverrunIntoATimeoutAndTheCallerLivesOn(Jdk jdk) {
        ChildJvm child = child(jdk);
        ChildJvm.Line overrun = child.ask("CALL 100 -1", "CALLED");
        assertEquals("java.util.concurrent.TimeoutException: the call ran longer than its budget of 100 ms and was killed",
                overrun.get("threw"), overrun.toString());
        assertEquals("dev.killswitch.ThreadKilledError: Thread killed by killswitch: callWithDeadline: ran longer than 100 ms",
                overrun.get("cause"));
        assertFalse(overrun.flag("interrupted"), "the interrupt that woke it is cleared: " + overrun);
        ChildJvm.Line inTime = child.ask("CALL 10000 1000", "CALLED");
        assertEquals("1000", inTime.get("result"), inTime.toString());
        assertEquals("none", inTime.get("threw"));
    }

    /** Selected code gives back a kill its catch blocks caught; a timeout from callWithDeadline is not one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void selectedCodeHandlesTheTimeoutAndCarriesOn(Jdk jdk) {
        ChildJvm child = child(jdk);
        assertEquals("timed out, then carried on", child.ask("STEP 100 -1", "STEPPED").get("outcome"));
        assertEquals("returned 1000, then carried on", child.ask("STEP 10000 1000", "STEPPED").get("outcome"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aDeadlineOnAClassThatIsNotSelectedIsSaidToLandOnlyInSelectedCode(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.shapes.**;deadline=com.acme.deadline.Jobs.report:1s")
                .classPath(Paths.fixtures("java17")).main(PlainApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            assertTrue(child.agentLines().contains("killswitch: deadline com.acme.deadline.Jobs.report:1s: com.acme.deadline.Jobs is not"
                    + " selected by include, so the kill lands only in selected code that the method calls"), child.describe());
            assertEquals("DELIVERED", child.event("KILL").get("status"), "everything else works as usual");
        }
    }

    @AfterAll
    static void closeChildren() {
        CHILDREN.values().forEach(ChildJvm::close);
        CHILDREN.clear();
    }

    private static ChildJvm child(Jdk jdk) {
        jdk.require();
        return CHILDREN.computeIfAbsent(jdk.toString(), k -> {
            ChildJvm child = ChildJvm.with(jdk).agentArgs(ARGS).classPath(Paths.fixtures("java8"), Paths.fixtures("api"))
                    .main(DeadlineApp.class).start();
            assertTrue(child.awaitEvent("READY").flag("active"), child.describe());
            return child;
        });
    }
}
