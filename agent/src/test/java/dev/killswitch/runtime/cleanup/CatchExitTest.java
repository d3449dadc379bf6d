package dev.killswitch.runtime.cleanup;

import dev.killswitch.KillHandle;
import dev.killswitch.KillOption;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.delivery.KillStats;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.OldClassFiles;
import dev.killswitch.testing.TransformingClassLoader;
import dev.killswitch.testing.Victim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Opcodes;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills that selected code catches are raised again where its catch blocks end: the real transformer on
 * {@code com.acme.swallow.Swallowers}, compiled by javac at several releases, loaded with -Xverify:all.
 */
class CatchExitTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    @BeforeAll
    static void activateRuntime() {
        RuntimeStart.activate(false);
    }

    /** A fresh copy of the fixture class per test, so that its static event list starts empty. */
    private static Class<?> swallowers(int release) throws ClassNotFoundException {
        return new TransformingClassLoader(InMemoryCompiler.fixtures(release), "com.acme.**").loadClass("com.acme.swallow.Swallowers");
    }

    @ParameterizedTest(name = "{0} (javac --release 17)")
    @ValueSource(strings = {"swallowInLoop", "swallowAndReturn", "nested", "withResources", "logAndRethrow", "wrapAndSwallow",
            "replaceAndSwallow", "conditionalExit", "switchExit"})
    void aSwallowingCatchBlockCannotKeepTheThreadAlive(String scenario) throws Exception {
        for (int mode = 0; mode <= (scenario.endsWith("Exit") ? 2 : 0); mode++) {
            Outcome outcome = killOnce(swallowers(17), scenario, mode);
            assertInstanceOf(ThreadKilledError.class, outcome.died, scenario + " mode " + mode + " events " + outcome.events);
        }
    }

    @ParameterizedTest(name = "javac --release {0}")
    @ValueSource(ints = {8, 11, 17})
    void everyLayerOfNestedCleanupRunsOnceInOrder(int release) throws Exception {
        Outcome outcome = killOnce(swallowers(release), "nested", 0);
        assertInstanceOf(ThreadKilledError.class, outcome.died);
        assertEquals(List.of("finally 3", "catch 2", "finally 2", "catch 1", "finally 1"), outcome.events);
    }

    @Test
    void theCatchBlockRunsToItsEndBeforeTheKillIsRaisedAgain() throws Exception {
        assertEquals(List.of("caught ThreadKilledError"), killOnce(swallowers(17), "swallowInLoop", 0).events);
        assertEquals(List.of("caught and returned"), killOnce(swallowers(17), "swallowAndReturn", 0).events);
        assertEquals(List.of("logged"), killOnce(swallowers(17), "logAndRethrow", 0).events);
        assertEquals(List.of("swallowed RuntimeException"), killOnce(swallowers(17), "wrapAndSwallow", 0).events);
        assertEquals(List.of("swallowed cause dropped"), killOnce(swallowers(17), "replaceAndSwallow", 0).events);
        assertEquals(List.of("verbose"), killOnce(swallowers(17), "conditionalExit", 1).events);
        assertEquals(List.of("two"), killOnce(swallowers(17), "switchExit", 2).events);
    }

    @Test
    void tryWithResourcesClosesEachOnceAndKeepsSuppressedExceptions() throws Exception {
        Outcome outcome = killOnce(swallowers(17), "withResources", 0);
        ThreadKilledError error = assertInstanceOf(ThreadKilledError.class, outcome.died);
        List<String> closes = new ArrayList<>();
        for (String e : outcome.events) {
            if (e.startsWith("close")) {
                closes.add(e);
            }
        }
        assertEquals(List.of("close c", "close b", "close a"), closes);
        assertEquals("caught ThreadKilledError suppressing 3", outcome.events.get(outcome.events.size() - 1));
        assertEquals(List.of("close c", "close b", "close a"),
                Arrays.stream(error.getSuppressed()).map(Throwable::getMessage).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void eachLevelOfARecursionCatchesOnceAndTheKillReachesTheTop() throws Exception {
        Class<?> swallowers = swallowers(17);
        Method recurse = swallowers.getMethod("recurse", int.class);
        Victim victim = Victim.start("recursion", () -> recurse.invoke(null, 0));
        awaitProgress(swallowers);
        KillHandle handle = Killswitch.kill(victim.thread, "recursion");
        assertTrue(handle.awaitThreadEnd(DEADLINE), handle.describe());
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        List<String> expected = new ArrayList<>();
        for (int depth = 20; depth >= 0; depth--) {
            expected.add("level " + depth);
        }
        assertEquals(expected, events(swallowers));
    }

    @Test
    void aFinallyBlockThatNeverEndsIsSparedBySecondKillsAndEndedByAnEscalatedOne() throws Exception {
        Class<?> swallowers = swallowers(17);
        Method stubborn = swallowers.getMethod("stubbornFinally");
        Victim victim = Victim.start("stubborn", () -> stubborn.invoke(null));
        awaitProgress(swallowers);
        KillHandle first = Killswitch.kill(victim.thread, "first");
        assertTrue(first.awaitDelivery(DEADLINE), first.describe());
        await().atMost(DEADLINE).until(() -> events(swallowers).contains("finally started"));
        awaitProgress(swallowers);
        assertTrue(victim.thread.isAlive(), "the finally block keeps running after the first kill");

        KillHandle second = Killswitch.kill(victim.thread, "second");
        assertEquals(KillStatus.PENDING, second.status(), second.describe());
        assertFalse(second.awaitDelivery(Duration.ofMillis(300)), "cleanup code is not cut short by a second kill: " + second.describe());
        assertTrue(second.describe().contains("running cleanup code at com.acme.swallow.Swallowers.stubbornFinally"), second.describe());

        KillHandle escalated = Killswitch.kill(victim.thread, "escalated", KillOption.ESCALATE);
        assertEquals(KillStatus.ALREADY_BEING_KILLED, escalated.status(), "the pending kill is escalated: " + escalated.describe());
        assertTrue(escalated.describe().contains("now escalated"), escalated.describe());
        assertTrue(second.awaitThreadEnd(DEADLINE), second.describe());
        ThreadKilledError died = assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertTrue(died.getMessage().contains("second"), died.getMessage());
        assertTrue(second.isDelivered());
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {Opcodes.V1_1, Opcodes.V1_4, Opcodes.V1_5})
    void aCatchBlockThatCallsAJsrSubroutineAndLoopsIsLeftWithTheKill(int version) throws Exception {
        Class<?> swallowing = new TransformingClassLoader(Map.of(OldClassFiles.SWALLOWING, OldClassFiles.swallowingLoop(version)),
                "com.acme.old.*").loadClass(OldClassFiles.SWALLOWING);
        Method run = swallowing.getMethod("run");
        Victim victim = Victim.start("old-swallower", () -> run.invoke(null));
        java.lang.reflect.Field progress = swallowing.getField("progress");
        long start = progress.getLong(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> progress.getLong(null) > start + 1);
        KillHandle handle = Killswitch.kill(victim.thread, "old swallower");
        assertTrue(handle.awaitThreadEnd(DEADLINE), handle.describe());
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, swallowing.getField("finallies").getInt(null), "the catch block's jsr subroutine ran once");
    }

    @Test
    void ordinaryExceptionsAreHandledExactlyAsWithoutTheAgent() throws Exception {
        Class<?> plain = new TransformingClassLoader(InMemoryCompiler.fixtures(17)).loadClass("com.acme.swallow.Swallowers");
        int expected = (int) plain.getMethod("ordinary", int.class).invoke(null, 100);
        assertEquals(expected, swallowers(17).getMethod("ordinary", int.class).invoke(null, 100));
        // Also in a thread that was killed before and caught it for good.
        Class<?> swallowers = swallowers(17);
        Method ordinary = swallowers.getMethod("ordinary", int.class);
        Method swallowInLoop = swallowers.getMethod("swallowInLoop");
        AtomicReference<Object> afterwards = new AtomicReference<>();
        Victim victim = Victim.start("killed-then-reused", () -> {
            try {
                swallowInLoop.invoke(null);
            } catch (InvocationTargetException e) {
                assertInstanceOf(ThreadKilledError.class, e.getCause());
            }
            afterwards.set(ordinary.invoke(null, 100));
            return null;
        });
        awaitProgress(swallowers);
        assertTrue(Killswitch.kill(victim.thread, "once").awaitThreadEnd(DEADLINE));
        assertEquals(expected, afterwards.get(), "code run after the kill was caught for good is not killed again");
    }

    @Test
    void theKillThatIsRaisedAgainIsTheSameError() throws Exception {
        Class<?> swallowers = swallowers(17);
        Method m = swallowers.getMethod("swallowInLoop");
        Victim victim = Victim.start("same-error", () -> m.invoke(null));
        awaitProgress(swallowers);
        long before = KillStats.reraised();
        KillHandle handle = Killswitch.kill(victim.thread, "same");
        assertTrue(handle.awaitThreadEnd(DEADLINE));
        assertSame(handle.deliveredAt().orElseThrow(), victim.died.get().getStackTrace()[0]);
        assertTrue(KillStats.reraised() > before);
        assertFalse(victim.thread.isAlive());
    }

    private static final class Outcome {
        final Throwable died;
        final List<String> events;

        Outcome(Throwable died, List<String> events) {
            this.died = died;
            this.events = events;
        }
    }

    private static Outcome killOnce(Class<?> swallowers, String scenario, int mode) throws Exception {
        swallowers.getField("mode").setInt(null, mode);
        Method m = swallowers.getMethod(scenario);
        Victim victim = Victim.start(scenario, () -> m.invoke(null));
        awaitProgress(swallowers);
        KillHandle handle = Killswitch.kill(victim.thread, scenario);
        assertTrue(handle.awaitThreadEnd(DEADLINE), scenario + " mode " + mode + ": " + handle.describe() + "; events "
                + events(swallowers));
        Outcome outcome = new Outcome(victim.died.get(), new ArrayList<>(events(swallowers)));
        events(swallowers).clear();
        return outcome;
    }

    @SuppressWarnings("unchecked")
    private static List<String> events(Class<?> swallowers) throws ReflectiveOperationException {
        return (List<String>) swallowers.getField("events").get(null);
    }

    private static void awaitProgress(Class<?> swallowers) throws ReflectiveOperationException {
        java.lang.reflect.Field progress = swallowers.getField("progress");
        long start = progress.getLong(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> progress.getLong(null) > start + 1);
    }
}
