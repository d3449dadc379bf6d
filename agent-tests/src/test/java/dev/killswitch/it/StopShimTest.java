package dev.killswitch.it;

import dev.killswitch.it.child.StopDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Old code compiled against the Java 8 API that calls Thread.stop(), Thread.stop(Throwable) and
 * ThreadGroup.stop(), run on each JDK: without stop-shim it does what that JDK does (stops unsafely on
 * 17, throws on 20+); with it, the workers spinning in selected code die of ThreadKilledError, their
 * cleanup run, on every JDK.
 */
class StopShimTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Map<String, ChildJvm> DRIVERS = new ConcurrentHashMap<>();
    private static final List<String> CASES = List.of("thread", "subclass", "throwable", "group");

    static Stream<Arguments> cases() {
        return TestJdks.all().stream().flatMap(jdk -> CASES.stream().map(c -> Arguments.of(jdk, c)));
    }

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void withTheShimTheVictimsDieSafely(Jdk jdk, String kase) {
        ChildJvm child = driver(jdk);
        int cleanupsBefore = (int) child.ask("STATE?", "STATE").number("cleanups");
        ChildJvm.Line stopped = child.ask("STOP " + kase, "STOPPED");
        assertEquals("nothing", stopped.get("threw"), "the call returns at once: " + stopped);
        ChildJvm.Line state = child.askUntil("STATE?", "STATE", l -> l.number("alive") == 0, WAIT);
        int victims = kase.equals("group") ? 2 : 1;
        for (String end : state.get("workers").split("; ")) {
            assertTrue(end.contains("died of dev.killswitch.ThreadKilledError (Thread killed by killswitch: "
                    + (kase.equals("group") ? "ThreadGroup.stop() of group \"legacy-group\"" : kase.equals("throwable")
                    ? "Thread.stop(java.lang.IllegalStateException: obsolete)" : "Thread.stop()") + " called by thread "), state.toString());
            assertTrue(end.contains("\"main\" at com.acme.stop.StopCaller.stop"), "names the caller: " + state);
        }
        assertEquals(cleanupsBefore + victims, state.number("cleanups"), "their finally blocks ran: " + state);
        assertTrue(child.agentLines().stream().anyMatch(l -> l.contains("(stop-shim=true)")), child.describe());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withTheShimAThreadStoppingItselfDiesAtOnceAndOtherStopMethodsStillWork(Jdk jdk) {
        ChildJvm child = driver(jdk);
        ChildJvm.Line self = child.ask("STOP self", "STOPPED");
        assertTrue(self.get("threw").startsWith("dev.killswitch.ThreadKilledError: Thread killed by killswitch: Thread.stop() called by"),
                self.toString());
        assertEquals("stopped (overheated)", child.ask("MACHINE", "MACHINE").get("state"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void withoutTheShimTheJdkDecides(Jdk jdk, String kase) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**").classPath(Paths.fixtures("stop"))
                .main(StopDriver.class).start()) { // a child per case: the workers it cannot stop spin until it is closed
            child.awaitEvent("READY");
            assertWhatTheJdkDoes(jdk, kase, child);
        }
    }

    private static void assertWhatTheJdkDoes(Jdk jdk, String kase, ChildJvm child) {
        ChildJvm.Line stopped = child.ask("STOP " + kase, "STOPPED");
        String threw = stopped.get("threw");
        if (kase.equals("throwable")) {
            assertEquals("java.lang.NoSuchMethodError: 'void java.lang.Thread.stop(java.lang.Throwable)'", threw, "gone since JDK 11");
        } else if (jdk.feature() < 20) {
            assertEquals("nothing", threw, stopped.toString());
            ChildJvm.Line state = child.askUntil("STATE?", "STATE", l -> l.number("alive") == 0, WAIT);
            assertTrue(state.get("workers").contains("died of java.lang.ThreadDeath"), "the old, unsafe stop: " + state);
        } else {
            if (jdk.feature() == 25) {
                assertEquals(kase.equals("group") ? "java.lang.NoSuchMethodError: 'void java.lang.ThreadGroup.stop()'"
                        : "java.lang.UnsupportedOperationException", threw, stopped.toString());
            } else {
                assertTrue(threw.startsWith("java.lang.UnsupportedOperationException") || threw.startsWith("java.lang.NoSuchMethodError"), threw);
            }
        }
        if (kase.equals("throwable") || jdk.feature() >= 20) {
            ChildJvm.Line state = child.ask("STATE?", "STATE");
            assertEquals(kase.equals("group") ? 2 : 1, state.number("alive"), "nothing was stopped: " + state);
        }
    }

    @AfterAll
    static void closeChildren() {
        DRIVERS.values().forEach(ChildJvm::close);
        DRIVERS.clear();
    }

    private static ChildJvm driver(Jdk jdk) {
        jdk.require();
        return DRIVERS.computeIfAbsent(jdk.toString(), k -> {
            ChildJvm child = ChildJvm.with(jdk).agentArgs("include=com.acme.**;stop-shim=true")
                    .classPath(Paths.fixtures("stop")).main(StopDriver.class).start();
            child.awaitEvent("READY");
            return child;
        });
    }
}
