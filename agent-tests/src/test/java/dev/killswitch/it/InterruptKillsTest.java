package dev.killswitch.it;

import dev.killswitch.it.child.InterruptDriver;
import dev.killswitch.it.child.JunitTimeoutApp;
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
 * interrupt-kills=true end to end: the cancellation that executors and JUnit 5 already send (they can
 * only interrupt) stops code stuck in a selected loop; without the key, the same code is leaked, still
 * spinning, as the JDK and JUnit leave it.
 */
class InterruptKillsTest {
    private static final String WITH_KEY = "include=com.acme.**;interrupt-kills=true";
    private static final String WITHOUT_KEY = "include=com.acme.**";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Map<String, ChildJvm> DRIVERS = new ConcurrentHashMap<>();

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void futureCancelKillsATaskSpinningInSelectedCodeAndThePoolThreadRunsTheNextTask(Jdk jdk) {
        ChildJvm child = driver(jdk, WITH_KEY);
        startSpinning(child, "pool", "spin");
        assertTrue(child.ask("CANCEL", "CANCELLED").flag("cancelled"));
        // The task's finally runs first; its result is recorded once the error has left the task's method.
        ChildJvm.Line state = child.askUntil("STATE?", "STATE", l -> l.flag("finallyRan") && !l.get("taskResult").equals("null"), WAIT);
        assertEquals("dev.killswitch.ThreadKilledError", state.get("taskResult"), state.toString());
        assertTrue(state.flag("workerAlive"), "the pool's thread survives: FutureTask caught the error: " + state);
        assertEquals("none", state.get("workerDied"), state.toString());
        ChildJvm.Line next = child.ask("NEXT 10000", "NEXT");
        assertTrue(next.flag("ran") && next.flag("sameWorker"), "the same worker runs the next task: " + next);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheKeyACancelledTaskSpinsOnAndBlocksThePool(Jdk jdk) {
        try (ChildJvm child = leakingDriver(jdk)) {
            startSpinning(child, "pool", "spin");
            assertTrue(child.ask("CANCEL", "CANCELLED").flag("cancelled"));
            assertStillSpinning(child);
            assertFalse(child.ask("NEXT 500", "NEXT").flag("ran"), "the only worker is still taken by the cancelled task");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void futureCancelKillsATaskThatSwallowsInterrupts(Jdk jdk) {
        ChildJvm child = driver(jdk, WITH_KEY);
        child.ask("START pool swallow", "STARTED");
        child.askUntil("STATE?", "STATE", l -> l.get("workerState").equals("TIMED_WAITING"), WAIT);
        assertTrue(child.ask("CANCEL", "CANCELLED").flag("cancelled"));
        ChildJvm.Line state = child.askUntil("STATE?", "STATE", l -> l.get("taskResult").equals("dev.killswitch.ThreadKilledError"), WAIT);
        assertTrue(state.flag("workerAlive"), state.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shutdownNowTerminatesAPoolWhoseTaskSpins(Jdk jdk) {
        ChildJvm child = driver(jdk, WITH_KEY);
        startSpinning(child, "pool", "spin");
        child.ask("SHUTDOWN_NOW", "SHUT DOWN");
        ChildJvm.Line state = child.askUntil("STATE?", "STATE", l -> l.flag("terminated"), WAIT);
        assertTrue(state.flag("finallyRan"), state.toString());
        assertEquals("dev.killswitch.ThreadKilledError", state.get("taskResult"), state.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheKeyShutdownNowNeverTerminates(Jdk jdk) {
        try (ChildJvm child = leakingDriver(jdk)) {
            startSpinning(child, "pool", "spin");
            child.ask("SHUTDOWN_NOW", "SHUT DOWN");
            ChildJvm.Line state = assertStillSpinning(child);
            assertFalse(state.flag("terminated"), state.toString());
        }
    }

    /** execute() has no FutureTask to catch the error: the worker dies of it and the pool makes a new one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anInterruptedWorkerFedWithExecuteDiesAndThePoolReplacesIt(Jdk jdk) {
        ChildJvm child = driver(jdk, WITH_KEY);
        startSpinning(child, "execute", "spin");
        child.ask("INTERRUPT", "INTERRUPTED");
        ChildJvm.Line state = child.askUntil("STATE?", "STATE", l -> !l.flag("workerAlive"), WAIT);
        assertEquals("dev.killswitch.ThreadKilledError", state.get("workerDied"), state.toString());
        assertTrue(state.flag("finallyRan"), state.toString());
        ChildJvm.Line next = child.ask("NEXT 10000", "NEXT");
        assertTrue(next.flag("ran") && !next.flag("sameWorker"), "a new worker runs the next task: " + next);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void futureCancelKillsAVirtualThread(Jdk jdk) {
        jdk.requireAtLeast(21, "virtual threads");
        ChildJvm child = driver(jdk, WITH_KEY);
        startSpinning(child, "virtual", "spin");
        assertTrue(child.ask("CANCEL", "CANCELLED").flag("cancelled"));
        ChildJvm.Line state = child.askUntil("STATE?", "STATE", l -> !l.flag("workerAlive"), WAIT);
        assertTrue(state.flag("finallyRan"), state.toString());
        assertEquals("dev.killswitch.ThreadKilledError", state.get("taskResult"), state.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void junitTimeoutsEndTheStuckThreadsInsteadOfLeakingThem(Jdk jdk) {
        try (ChildJvm child = junit(jdk, WITH_KEY, "stuckUnderTimeoutInASeparateThread,stuckInAssertTimeoutPreemptively,"
                + "stuckUnderTimeoutInTheSameThread,passes")) {
            child.awaitEvent("RUN DONE", Duration.ofSeconds(60));
            Map<String, ChildJvm.Line> results = results(child);
            assertTimedOut(results.get("stuckUnderTimeoutInASeparateThread()"), "timed out after 300 milliseconds");
            assertTimedOut(results.get("stuckInAssertTimeoutPreemptively()"), "execution timed out after 300 ms");
            // The default, same-thread mode: JUnit interrupts the test's own thread, and the kill ends the test.
            ChildJvm.Line same = results.get("stuckUnderTimeoutInTheSameThread()");
            assertTimedOut(same, "timed out after 300 milliseconds");
            assertTrue(same.get("causes").contains("(suppressed dev.killswitch.ThreadKilledError)"), same.toString());
            assertEquals("SUCCESSFUL", results.get("passes()").get("status"), "the runner thread went on to the next test");

            ChildJvm.Line threads = child.askUntil("THREADS?", "THREADS", l -> l.number("timeoutThreadsAlive") == 0, WAIT);
            ChildJvm.Line later = child.ask("THREADS?", "THREADS");
            assertEquals(threads.number("separateThreadProgress"), later.number("separateThreadProgress"), "nothing spins any more");
            assertEquals(threads.number("preemptiveProgress"), later.number("preemptiveProgress"), "nothing spins any more");
            assertEquals("main", later.get("sameThreadRanOn"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheKeyJunitTimeoutsLeakTheStuckThreads(Jdk jdk) {
        try (ChildJvm child = junit(jdk, WITHOUT_KEY, "stuckUnderTimeoutInASeparateThread,stuckInAssertTimeoutPreemptively,passes")) {
            child.awaitEvent("RUN DONE", Duration.ofSeconds(60));
            Map<String, ChildJvm.Line> results = results(child);
            assertTimedOut(results.get("stuckUnderTimeoutInASeparateThread()"), "timed out after 300 milliseconds");
            assertTimedOut(results.get("stuckInAssertTimeoutPreemptively()"), "execution timed out after 300 ms");
            ChildJvm.Line first = child.ask("THREADS?", "THREADS");
            assertEquals(2, first.number("timeoutThreadsAlive"), "JUnit is done, yet its two timeout threads live: " + first);
            child.askUntil("THREADS?", "THREADS", l -> l.number("separateThreadProgress") > first.number("separateThreadProgress")
                    && l.number("preemptiveProgress") > first.number("preemptiveProgress"), WAIT);
        }
    }

    @AfterAll
    static void closeChildren() {
        DRIVERS.values().forEach(ChildJvm::close);
        DRIVERS.clear();
    }

    private static void startSpinning(ChildJvm child, String executor, String task) {
        child.ask("START " + executor + " " + task, "STARTED");
        ChildJvm.Line first = child.askUntil("STATE?", "STATE", l -> l.number("progress") > 0 && l.flag("workerAlive"), WAIT);
        child.askUntil("STATE?", "STATE", l -> l.number("progress") > first.number("progress"), WAIT);
    }

    /** Progress goes on long after the cancellation: the task ignores it and is not killed. */
    private static ChildJvm.Line assertStillSpinning(ChildJvm child) {
        ChildJvm.Line first = child.ask("STATE?", "STATE");
        ChildJvm.Line later = child.askUntil("STATE?", "STATE", l -> l.number("progress") > first.number("progress"), WAIT);
        assertFalse(later.flag("finallyRan"), later.toString());
        assertTrue(later.flag("workerAlive"), later.toString());
        return later;
    }

    private static void assertTimedOut(ChildJvm.Line result, String message) {
        assertEquals("FAILED", result.get("status"), result.toString());
        assertTrue(result.get("throwable").contains(message), result.toString());
    }

    private static Map<String, ChildJvm.Line> results(ChildJvm child) {
        Map<String, ChildJvm.Line> byName = new java.util.HashMap<>();
        for (ChildJvm.Line l : child.events("TEST")) {
            byName.put(l.get("name"), l);
        }
        return byName;
    }

    /** One driver per JDK and configuration: each test starts its own executor in it. */
    private static ChildJvm driver(Jdk jdk, String agentArgs) {
        jdk.require();
        return DRIVERS.computeIfAbsent(jdk + agentArgs, k -> {
            ChildJvm child = ChildJvm.with(jdk).agentArgs(agentArgs).classPath(Paths.fixtures("java8"))
                    .main(InterruptDriver.class).start();
            child.awaitEvent("READY");
            return child;
        });
    }

    /** Without the key, for one test: what it leaks spins until the child is closed. */
    private static ChildJvm leakingDriver(Jdk jdk) {
        ChildJvm child = ChildJvm.with(jdk.require()).agentArgs(WITHOUT_KEY).classPath(Paths.fixtures("java8"))
                .main(InterruptDriver.class).start();
        child.awaitEvent("READY");
        return child;
    }

    private static ChildJvm junit(Jdk jdk, String agentArgs, String methods) {
        return ChildJvm.with(jdk.require()).agentArgs(agentArgs).classPath(Paths.fixtures("junit5"))
                .classPath(Paths.junit5Platform()).main(JunitTimeoutApp.class, methods).start();
    }
}
