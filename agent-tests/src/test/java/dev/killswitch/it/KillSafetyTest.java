package dev.killswitch.it;

import dev.killswitch.it.child.SafetyDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kill does no harm, in a child JVM with the real agent under -Xverify:all, on each JDK, in platform and
 * virtual threads: cleanup that an exception reaches while a kill is pending runs to its end, a loop left
 * through its conditional back-edge is not a kill point, further kills coalesce with one that unwinds,
 * a thread with no selected code is left alone, a pending kill can be cancelled, the agent's and the JVM's
 * threads are refused, and a kill near the stack limit is thrown, not lost.
 */
class KillSafetyTest {

    static Stream<Arguments> threads() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("platform", "virtual").map(kind -> Arguments.of(jdk, kind)));
    }

    static Stream<Arguments> jdks() {
        return TestJdks.all().stream().map(Arguments::of);
    }

    private static ChildJvm start(Jdk jdk, String kind) {
        jdk.require();
        if (kind.equals("virtual")) {
            jdk.requireAtLeast(21, "virtual threads");
        }
        // The scenarios are about kills pending while library code nobody selected runs: it stays unselected.
        ChildJvm child = ChildJvm.with(jdk).agentArgs("include=com.acme.**;on-demand=none").classPath(Paths.fixtures("java17"))
                .main(SafetyDriver.class).start();
        assertTrue(child.awaitEvent("READY").flag("active"), child.describe());
        return child;
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("threads")
    void cleanupThatAnotherExceptionReachesWhileAKillIsPendingRunsToItsEnd(Jdk jdk, String kind) {
        try (ChildJvm child = start(jdk, kind)) {
            ChildJvm.Line f = cleanup(child, "lockedLibraryCall", kind);
            assertEquals("1", f.get("finallies"), "the finally ran: " + f);
            assertFalse(f.flag("lockHeld"), "the lock was released: " + f);
            assertEquals("java.lang.NumberFormatException", f.get("suppressed"), "the library's exception is kept: " + f);
            assertEquals("1", cleanup(child, "rollbackAndRethrow", kind).get("rollbacks"), "the rollback ran to its end");
            ChildJvm.Line helper = cleanup(child, "finallyCallsHelper", kind);
            assertEquals("1", helper.get("releases"), "the selected helper of the finally ran to its end: " + helper);
            assertFalse(helper.flag("lockHeld"), helper.toString());
            assertEquals("1", cleanup(child, "withResource", kind).get("closes"), "try-with-resources closed its resource");
        }
    }

    private static ChildJvm.Line cleanup(ChildJvm child, String scenario, String kind) {
        ChildJvm.Line f = child.ask("CLEANUP " + scenario + " " + kind, "CLEANED");
        assertTrue(f.flag("ended") && f.flag("delivered"), scenario + ": " + f);
        assertEquals("dev.killswitch.ThreadKilledError", f.get("died"), scenario + ": " + f);
        return f;
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("threads")
    void leavingALoopThroughItsConditionalBackEdgeIsNotAKillPoint(Jdk jdk, String kind) {
        try (ChildJvm child = start(jdk, kind)) {
            ChildJvm.Line acquired = child.ask("LEAVE acquire " + kind, "LEFT");
            assertEquals("dev.killswitch.ThreadKilledError", acquired.get("died"), acquired.toString());
            assertFalse(acquired.flag("lockHeld"), "the lock taken as the loop was left is released by the finally: " + acquired);
            assertTrue(acquired.flag("landedInWork"), "the kill landed in the work inside the try, not as the loop was left: " + acquired);

            ChildJvm.Line offered = child.ask("LEAVE offer " + kind, "LEFT");
            assertEquals("dev.killswitch.ThreadKilledError", offered.get("died"), offered.toString());
            assertEquals("1", offered.get("queued"), offered.toString());
            assertEquals("1", offered.get("offered"), "the item handed over is counted as handed over: " + offered);
        }
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("threads")
    void killsAskedForAtOnceOrWhileTheThreadUnwindsCoalesceAndCleanupRunsEveryStep(Jdk jdk, String kind) {
        try (ChildJvm child = start(jdk, kind)) {
            ChildJvm.Line f = child.ask("COALESCE " + kind, "COALESCED");
            assertTrue(f.flag("ended"), f.toString());
            assertEquals("dev.killswitch.ThreadKilledError", f.get("died"), f.toString());
            assertEquals("200", f.get("finallySteps"), "every step of the finally ran: " + f);
            assertEquals("1", f.get("delivered"), "one kill landed: " + f);
            assertEquals(Integer.parseInt(f.get("requests")) - 1, Integer.parseInt(f.get("coalesced")), "the others coalesced: " + f);
        }
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("threads")
    void aKillOfAThreadWithNoSelectedCodeChangesNothingInItNorInTheTaskItRunsLater(Jdk jdk, String kind) {
        try (ChildJvm child = start(jdk, kind)) {
            ChildJvm.Line f = child.ask("IDLE " + kind, "IDLE");
            assertEquals("NOT_IN_SELECTED_CODE", f.get("status"), f.toString());
            assertEquals("0", f.get("interrupts"), "never woken: " + f);
            assertEquals("1", f.get("tasksRun"), "the later task ran: " + f);
            assertEquals("none", f.get("taskDied"), "and was not killed: " + f);
            assertFalse(f.flag("pending"), f.toString());
            assertTrue(f.get("describe").contains("not interrupted"), f.toString());

            ChildJvm.Line waited = child.ask("WAIT " + kind, "WAITED");
            assertEquals("PENDING", waited.get("whileIdle"), "asked to wait for selected code, it stays pending: " + waited);
            assertEquals("0", waited.get("interrupts"), "without waking the thread: " + waited);
            assertTrue(waited.flag("delivered"), waited.toString());
            assertEquals("dev.killswitch.ThreadKilledError", waited.get("died"), waited.toString());
            assertTrue(waited.get("at").startsWith("com.acme.safety.Cleanups."), "in the selected code it ran later: " + waited);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aPendingKillCanBeCancelledAndTheThreadRunsOnUnharmed(Jdk jdk) {
        try (ChildJvm child = start(jdk, "platform")) {
            ChildJvm.Line f = child.ask("CANCEL", "CANCELLED");
            assertEquals("PENDING", f.get("before"), f.toString());
            assertTrue(f.flag("cancelled"), f.toString());
            assertEquals("CANCELLED", f.get("after"), f.toString());
            assertFalse(f.flag("pending"), f.toString());
            assertFalse(f.flag("again"), "a second cancel has nothing to cancel: " + f);
            assertEquals("none", f.get("died"), "the thread was not killed: " + f);
            assertEquals("1", f.get("finished"), "it ran on to its end: " + f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theApiRefusesTheAgentsAndTheJvmsOwnThreadsAsJmxAndTheCommandLineDo(Jdk jdk) {
        try (ChildJvm child = start(jdk, "platform")) {
            ChildJvm.Line f = child.ask("SYSTEM", "SYSTEM");
            for (String thread : new String[] {"killswitch-deliverer", "Reference-Handler", "Finalizer", "Signal-Dispatcher"}) {
                assertEquals("SYSTEM_THREAD", f.get(thread), thread + ": " + f);
                assertFalse(f.flag(thread + ".pending"), thread + ": " + f);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("threads")
    void aKillNearTheStackLimitIsNeverReportedDeliveredUnlessThrownAndASynchronizedExitHandlerDoesNotLoop(Jdk jdk, String kind) {
        try (ChildJvm child = start(jdk, kind)) {
            for (String variant : new String[] {"plain", "locked"}) {
                // The child bounds its steps (20 s each, 90 s for the escalated kill's landing at the limit) and reports either
                // way: wait for its report as long as that.
                ChildJvm.Line f = child.send("OVERFLOW " + variant + " " + kind).awaitEvent("OVERFLOWED", Duration.ofSeconds(180));
                String context = variant + ": " + f;
                if (f.get("plainStatus").equals("DELIVERED")) {
                    assertFalse(f.flag("plainAlive") && f.get("died").equals("none"), "a kill reported delivered was thrown: " + context);
                } else {
                    // It waits for the catch blocks the recursion runs in (cleanup code), or for stack to throw it.
                    assertEquals("PENDING", f.get("plainStatus"), context);
                    assertTrue(f.flag("plainAlive"), context);
                    assertEquals("ALREADY_BEING_KILLED", f.get("escalated"), "escalating the pending kill: " + context);
                }
                assertTrue(f.flag("ended"), "the thread ended: " + context);
                assertEquals("DELIVERED", f.get("status"), context);
                assertEquals("dev.killswitch.ThreadKilledError", f.get("died"), context);
                assertTrue(f.flag("monitorFree"), "no monitor left held: " + context);
            }
        }
    }
}
