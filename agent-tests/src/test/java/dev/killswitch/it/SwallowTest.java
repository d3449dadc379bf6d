package dev.killswitch.it;

import dev.killswitch.it.child.SwallowDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills that selected code swallows with {@code catch (Throwable)} still end the thread, after the catch
 * blocks and finally blocks ran once each: {@code com.acme.swallow.Swallowers} compiled by javac (for
 * Java 8 and 17) and by ecj, on each JDK, in platform and virtual threads, under -Xverify:all.
 */
class SwallowTest {

    static Stream<Arguments> cases() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("java17", "java8", "ecj").flatMap(flavour ->
                Stream.of("platform", "virtual").map(threads -> Arguments.of(jdk, flavour, threads))));
    }

    static Stream<Arguments> jdks() {
        return TestJdks.all().stream().map(Arguments::of);
    }

    private static ChildJvm start(Jdk jdk, String flavour) {
        ChildJvm child = ChildJvm.with(jdk).agentArgs("include=com.acme.**")
                .classPath(Paths.fixtures(flavour)).main(SwallowDriver.class).start();
        assertTrue(child.awaitEvent("READY").flag("active"), child.describe());
        return child;
    }

    @ParameterizedTest(name = "{0}, {1} class files, {2} threads")
    @MethodSource("cases")
    void swallowedKillsStillEndTheThread(Jdk jdk, String flavour, String threads) {
        jdk.require();
        if (threads.equals("virtual")) {
            jdk.requireAtLeast(21, "virtual threads");
        }
        try (ChildJvm child = start(jdk, flavour)) {
            String where = jdk + ", " + flavour + ", " + threads + ": ";
            check(child, where, "swallowInLoop", threads, 0, "caught ThreadKilledError");
            check(child, where, "swallowAndReturn", threads, 0, "caught and returned");
            check(child, where, "nested", threads, 0, "finally 3|catch 2|finally 2|catch 1|finally 1");
            check(child, where, "logAndRethrow", threads, 0, "logged");
            check(child, where, "wrapAndSwallow", threads, 0, "swallowed RuntimeException");
            check(child, where, "replaceAndSwallow", threads, 0, "swallowed cause dropped");
            check(child, where, "conditionalExit", threads, 0, "");
            check(child, where, "conditionalExit", threads, 1, "verbose");
            check(child, where, "switchExit", threads, 0, "");
            check(child, where, "switchExit", threads, 1, "one");
            check(child, where, "switchExit", threads, 2, "two");

            ChildJvm.Line resources = check(child, where, "withResources", threads, 0,
                    "open a|open b|open c|close c|close b|close a|caught ThreadKilledError suppressing 3");
            assertEquals("close c|close b|close a", resources.get("suppressed"), where + resources);

            ChildJvm.Line stubborn = child.ask("KILL stubbornFinally " + threads + " 0", "KILLED");
            assertTrue(stubborn.flag("aliveAfterFirst"), "the first kill waits for the finally block: " + where + stubborn);
            assertEquals("PENDING", stubborn.get("secondStatus"), "a second kill is accepted: " + where + stubborn);
            assertFalse(stubborn.flag("secondLandsInCleanup"), "but it does not cut the finally block short: " + where + stubborn);
            assertEquals("ALREADY_BEING_KILLED", stubborn.get("escalatedStatus"), "escalating it: " + where + stubborn);
            assertFalse(stubborn.flag("alive"), "the escalated kill lands in the finally block: " + where + stubborn);
            assertTrue(stubborn.get("message").contains("second kill"), where + stubborn);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aPooledThreadRunsTheNextTaskNormallyAfterAKill(Jdk jdk) {
        try (ChildJvm child = start(jdk.require(), "java17")) {
            for (String kind : new String[] {"executor", "supplyAsync"}) {
                ChildJvm.Line pooled = child.ask("POOL " + kind, "POOLED");
                assertEquals("dev.killswitch.ThreadKilledError", pooled.get("first"), kind + ": " + pooled);
                assertTrue(pooled.flag("sameThread"), "the pool kept its worker: " + kind + ": " + pooled);
                assertEquals("1150", pooled.get("next"), "the next task ran normally: " + kind + ": " + pooled);
            }
        }
    }

    private static ChildJvm.Line check(ChildJvm child, String where, String scenario, String threads, int mode, String events) {
        ChildJvm.Line killed = child.ask("KILL " + scenario + " " + threads + " " + mode, "KILLED");
        String context = where + scenario + " mode " + mode + ": " + killed;
        assertTrue(killed.flag("delivered"), context);
        assertFalse(killed.flag("alive"), "the thread ended: " + context);
        assertEquals("dev.killswitch.ThreadKilledError", killed.get("died"), context);
        assertEquals(events, killed.get("events"), "each catch and finally block ran once, in order: " + context);
        return killed;
    }
}
