package dev.killswitch.it;

import com.sun.jdi.Method;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.ThreadDeathEvent;
import com.sun.jdi.request.EventRequest;
import dev.killswitch.it.child.SwallowDriver;
import dev.killswitch.it.support.Debugger;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kill that lands is handed over by the deliverer from the kills pending ({@code PendingKills}) to the kills
 * unwinding ({@code Unwinding}) while the victim runs on, and each catch or finally block the kill reaches looks at
 * both to decide whether to raise it again. The JDK's debugger holds the two threads so that the whole hand-over
 * happens before the victim's first look (a return from a method of either class), then, in a fresh JVM, right after
 * its first look, its second, and so on until the thread has ended before the hand-over. A look taken holding the
 * lock of either class is passed over: the hand-over, which needs that lock, cannot come there. These are orders a
 * scheduler gives at random (CI met a bad one in some thousand first kills: the kill was swallowed, and the thread ran
 * on for ever). In each, every block runs once and the thread ends with the kill. Each JVM's first kill, in a
 * platform thread, in four scenarios.
 */
class KillHandOverTest {
    private static final String KILL_POINT = "dev.killswitch.runtime.killpoints.KillPoint";
    private static final String PENDING = "dev.killswitch.runtime.delivery.PendingKills";
    private static final String UNWINDING = "dev.killswitch.runtime.delivery.Unwinding";
    private static final String ARMER = "dev.killswitch.runtime.delivery.SwitchArmer";
    /** Far more looks than any of these scenarios takes: a bound in case a change made the looks endless. */
    private static final int MOST_LOOKS = 100;
    /** How long the driver waits for the victim's end after the kill: far longer than the debugger holds the threads. */
    private static final int THREAD_END_SECONDS = 300;

    static Stream<Arguments> cases() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of(
                Arguments.of(jdk, "swallowInLoop", "caught ThreadKilledError"), // a catch block that completes
                Arguments.of(jdk, "wrapAndSwallow", "swallowed RuntimeException"), // one that throws a wrapper, caught above
                Arguments.of(jdk, "replaceAndSwallow", "swallowed cause dropped"), // one that throws without the cause
                Arguments.of(jdk, "nested", "finally 3|catch 2|finally 2|catch 1|finally 1")));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void aCaughtKillIsRaisedAgainWhereverTheDelivererHandsItOver(Jdk jdk, String scenario, String events) throws Exception {
        jdk.require();
        List<String> before = List.of();
        for (int look = 0; ; look++) {
            assertTrue(look <= MOST_LOOKS, scenario + " still looking after " + MOST_LOOKS + " looks");
            List<String> looks = handOverAfter(jdk, scenario, events, look);
            assertEquals(before, looks.subList(0, Math.min(before.size(), looks.size())),
                    "each JVM's victim takes the same looks in the same order, so look " + look + " is the same place in each");
            if (looks.size() < look) {
                break; // the thread ended before this look: every place has been tried
            }
            before = looks;
        }
        assertFalse(before.isEmpty(), scenario + ": the victim's blocks took no look that counts, so nothing was tried");
        System.out.println("hand-over: " + jdk + ", " + scenario + ": the kill was raised again with a hand-over before "
                + "the first look, after each of " + before.size() + " (" + String.join(", ", before) + "), and after the end");
    }

    /**
     * One JVM, one kill; the hand-over right after the victim's {@code look}-th look (0: before the first). Returns the
     * looks taken until then: fewer than {@code look} if the thread ended first.
     */
    private static List<String> handOverAfter(Jdk jdk, String scenario, String events, int look) throws Exception {
        try (ChildJvm child = ChildJvm.with(jdk).jvmArgs(Debugger.JDWP).agentArgs("include=com.acme.**")
                .classPath(Paths.fixtures("java17")).main(SwallowDriver.class).start()) {
            assertTrue(child.awaitEvent("READY").flag("active"), child.describe());
            List<String> looks = new ArrayList<>();
            long held;
            try (Debugger debugger = Debugger.attach(child)) {
                // The victim where its first catch or finally block ends; the deliverer as it starts the hand-over.
                List<EventRequest> atBlockEnds = new ArrayList<>();
                for (Method m : debugger.methodsStarting(KILL_POINT, "catch")) {
                    atBlockEnds.add(debugger.stopAtEntry(m));
                }
                EventRequest atHandOver = debugger.stopAtEntry(debugger.method(ARMER, "settled"));
                long start = System.nanoTime();
                // The JVM's first kill: nothing is recorded as unwinding yet. The driver waits long for the thread's end.
                child.send("KILL " + scenario + " platform 0 " + THREAD_END_SECONDS);
                ThreadReference victim = null;
                ThreadReference deliverer = null;
                while (victim == null || deliverer == null) {
                    LocatableEvent e = (LocatableEvent) debugger.next();
                    if (e.request() == atHandOver) {
                        deliverer = e.thread();
                        debugger.cancel(atHandOver);
                    } else {
                        victim = e.thread();
                        atBlockEnds.forEach(debugger::cancel);
                    }
                }
                assertNotEquals(victim, deliverer);

                // The victim looks at the kills pending or unwinding `look` times, or ends first; then it stays stopped.
                List<? extends EventRequest> returns = debugger.stopAtNextReturn(victim, PENDING, UNWINDING);
                EventRequest end = debugger.watchEnd(victim);
                boolean ended = false;
                while (!ended && looks.size() < look) {
                    victim.resume();
                    Event e = debugger.next();
                    if (e instanceof ThreadDeathEvent) {
                        ended = true;
                    } else if (!debugger.holdsClassLock(victim, PENDING, UNWINDING)) {
                        Method m = ((LocatableEvent) e).location().method();
                        looks.add(m.declaringType().name().replaceAll(".*\\.", "") + "." + m.name());
                    }
                }
                returns.forEach(debugger::cancel);
                debugger.cancel(end);

                // The deliverer hands the kill over in full; then the victim goes on.
                deliverer.resume();
                await().atMost(Duration.ofSeconds(30)).alias("the deliverer's hand-over, the victim held after " + looks)
                        .until(() -> debugger.staticArrayLength(PENDING, "pending") == 0);
                if (!ended) {
                    victim.resume();
                }
                held = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            ChildJvm.Line killed = child.awaitEvent("KILLED", Duration.ofSeconds(THREAD_END_SECONDS + 30));
            String context = jdk + ", " + scenario + ", hand-over after " + (look == 0 ? "no look" : String.join(", ", looks))
                    + " (the threads held for " + held + " ms): " + killed;
            assertTrue(killed.flag("delivered"), context);
            assertEquals(events, killed.get("events"), "each block ran once: " + context);
            assertFalse(killed.flag("alive"), "the kill was raised again, and the thread ended: " + context);
            assertEquals("dev.killswitch.ThreadKilledError", killed.get("died"), context);
            return looks;
        }
    }
}
