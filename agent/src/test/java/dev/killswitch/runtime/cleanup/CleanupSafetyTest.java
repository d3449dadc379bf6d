package dev.killswitch.runtime.cleanup;

import dev.killswitch.KillHandle;
import dev.killswitch.KillOption;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.delivery.PendingKills;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import dev.killswitch.testing.Victim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kill never leaves the program in a state an ordinary exception at the same place could not: cleanup
 * runs to its end, locks are released, and what was handed over is counted. {@code com.acme.safety.Cleanups}
 * is selected; the library it calls, {@code org.example.lib.Slow}, is not. Real transformer, real runtime,
 * class files of Java 8 and 17.
 */
class CleanupSafetyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private Class<?> cleanups;
    private ReentrantLock lock;

    @BeforeAll
    static void activateRuntime() {
        RuntimeStart.activate(false);
    }

    @BeforeEach
    void noKillLeftOver() {
        await().atMost(DEADLINE).until(() -> PendingKills.count() == 0);
    }

    private void load(int release) throws Exception {
        cleanups = new TransformingClassLoader(InMemoryCompiler.fixtures(release), "com.acme.safety.*").loadClass("com.acme.safety.Cleanups");
        lock = (ReentrantLock) cleanups.getField("LOCK").get(null);
    }

    private int counter(String name) throws Exception {
        return cleanups.getField(name).getInt(null);
    }

    /** Runs a scenario in a new thread, kills it once the library call is under way, and waits for it to end. */
    private Victim killDuringLibraryCall(String scenario) throws Exception {
        Method m = cleanups.getMethod(scenario, long.class);
        Victim victim = Victim.start(scenario, () -> m.invoke(null, 400L));
        await().atMost(DEADLINE).until(() -> cleanups.getField("progress").getLong(null) > 0);
        KillHandle handle = Killswitch.kill(victim.thread, "kill during " + scenario);
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        victim.thread.join(DEADLINE.toMillis());
        assertFalse(victim.thread.isAlive(), handle.describe());
        return victim;
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aFinallyEnteredByAnotherExceptionWhileAKillIsPendingRunsToItsEndAndKeepsThatException(int release) throws Exception {
        load(release);
        Victim victim = killDuringLibraryCall("lockedLibraryCall");
        ThreadKilledError killed = assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, counter("finallies"), "the finally ran");
        assertFalse(lock.isLocked(), "the lock was released");
        assertEquals(1, killed.getSuppressed().length, "the library's exception is kept");
        assertInstanceOf(NumberFormatException.class, killed.getSuppressed()[0]);
        assertEquals("lockedLibraryCall", killed.getStackTrace()[0].getMethodName(), "thrown where the finally rethrows");
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aCatchBlockRollsBackBeforeItRethrowsEvenWhenItsRollbackLoopsInSelectedCode(int release) throws Exception {
        load(release);
        Victim victim = killDuringLibraryCall("rollbackAndRethrow");
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, counter("rollbacks"), "the rollback ran to its end");
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aFinallyThatCallsSelectedCleanupCodeIsNotCutShortInThatCode(int release) throws Exception {
        load(release);
        Victim victim = killDuringLibraryCall("finallyCallsHelper");
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, counter("releases"), "the helper ran to its end");
        assertFalse(lock.isLocked(), "the lock was released");
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void tryWithResourcesClosesItsResourceWhenTheKillWaitsForTheBody(int release) throws Exception {
        load(release);
        Victim victim = killDuringLibraryCall("withResource");
        ThreadKilledError killed = assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, counter("closes"), "close() ran to its end");
        assertInstanceOf(NumberFormatException.class, killed.getSuppressed()[0]);
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void theCopyOfAFinallyOnThePathWithoutAnExceptionIsCleanupCodeToo(int release) throws Exception {
        load(release);
        Victim victim = killWhenPending("releaseOnNormalPath");
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, counter("releases"), "the helper called by the finally copy ran to its end");
        assertFalse(lock.isLocked(), "and released the lock");
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void tryWithResourcesClosesItsResourceOnThePathWithoutAnException(int release) throws Exception {
        load(release);
        Victim victim = killWhenPending("closeOnNormalPath");
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, counter("closes"), "close() ran to its end");
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aFinallyCopyWithATryOfItsOwnIsCleanupCodeToItsEnd(int release) throws Exception {
        load(release);
        Victim victim = killWhenPending("nestedTryInFinally");
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, counter("releases"), "the finally copy ran past its own try block, to its end");
        assertFalse(lock.isLocked());
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aWaitInCleanupCodeIsLeftAloneAndTheNextWaitOutsideItEndsWithTheKill(int release) throws Exception {
        load(release);
        Method m = cleanups.getMethod("waitInCleanupThenTake", BlockingQueue.class);
        Victim victim = Victim.start("cleanup-sleeper", () -> m.invoke(null, new LinkedBlockingQueue<String>()));
        await().atMost(DEADLINE).until(() -> victim.thread.getState() == Thread.State.TIMED_WAITING);
        KillHandle handle = Killswitch.kill(victim.thread, "kill during a wait in cleanup code");
        assertTrue(handle.awaitDelivery(DEADLINE), "the take() after the cleanup must not wait for ever: " + handle.describe());
        victim.thread.join(DEADLINE.toMillis());
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, counter("finallies"), "the wait in the finally was not cut short, and the finally ran to its end");
        assertEquals("waitInCleanupThenTake", handle.deliveredAt().orElseThrow().getMethodName());
    }

    /** Runs a scenario that waits in the unselected library until its kill is pending, then kills it. */
    private Victim killWhenPending(String scenario) throws Exception {
        Method m = cleanups.getMethod(scenario);
        Victim victim = Victim.start(scenario, () -> m.invoke(null));
        await().atMost(DEADLINE).until(() -> cleanups.getField("progress").getLong(null) > 0);
        KillHandle handle = Killswitch.kill(victim.thread, "kill during " + scenario);
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        victim.thread.join(DEADLINE.toMillis());
        assertFalse(victim.thread.isAlive(), handle.describe());
        return victim;
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aKillPendingWhenALoopLeavesThroughItsConditionalBackEdgeLandsInsideTheTryThatReleases(int release) throws Exception {
        load(release);
        Method m = cleanups.getMethod("acquireInLoopThenWork");
        Victim victim = Victim.start("acquirer", () -> m.invoke(null));
        await().atMost(DEADLINE).until(() -> victim.thread.getState() == Thread.State.RUNNABLE);
        KillHandle handle = Killswitch.kill(victim.thread, "kill while acquiring");
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        victim.thread.join(DEADLINE.toMillis());
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertFalse(lock.isLocked(), "the lock taken on the way out of the loop was released by the finally");
        assertTrue(cleanups.getField("progress").getLong(null) > 0, "killed inside the try, not on the way out of the loop: " + handle.describe());
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void anItemOfferedOnTheWayOutOfADoWhileLoopIsCountedAsOffered(int release) throws Exception {
        load(release);
        Method m = cleanups.getMethod("offerInLoop", BlockingQueue.class);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Victim victim = Victim.start("offerer", () -> m.invoke(null, queue));
        await().atMost(DEADLINE).until(() -> cleanups.getField("progress").getLong(null) > 0);
        KillHandle handle = Killswitch.kill(victim.thread, "kill while offering");
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        victim.thread.join(DEADLINE.toMillis());
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, queue.size(), "the item was handed over");
        assertEquals(1, counter("offered"), "and it is counted as offered, exactly once");
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aSecondKillWhileTheFirstUnwindsCoalescesAndTheFinallyRunsEveryStep(int release) throws Exception {
        load(release);
        Method m = cleanups.getMethod("finallyUntilReleased");
        Victim victim = Victim.start("unwinder", () -> m.invoke(null));
        await().atMost(DEADLINE).until(() -> cleanups.getField("progress").getLong(null) > 0);
        KillHandle first = Killswitch.kill(victim.thread, "first");
        assertTrue(first.awaitDelivery(DEADLINE), first.describe());
        await().atMost(DEADLINE).until(() -> counter("finallySteps") > 0);
        KillHandle second = Killswitch.kill(victim.thread, "second");
        int steps = counter("finallySteps");
        await().atMost(DEADLINE).until(() -> counter("finallySteps") > steps + 10); // the finally goes on through it
        cleanups.getField("finallyReleased").setBoolean(null, true);
        victim.thread.join(DEADLINE.toMillis());
        assertFalse(victim.thread.isAlive());
        ThreadKilledError died = assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals("first", died.getReason());
        await().atMost(DEADLINE).until(() -> second.status() != KillStatus.PENDING);
        assertEquals(KillStatus.ALREADY_BEING_KILLED, second.status(), second.describe());
        assertEquals(first, second.pendingKill().orElseThrow(), second.describe());
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void anEscalatedKillLandsInsideAFinallyThatWouldTakeTooLong(int release) throws Exception {
        load(release);
        Method m = cleanups.getMethod("longFinally", int.class);
        Victim victim = Victim.start("stuck-in-cleanup", () -> m.invoke(null, Integer.MAX_VALUE));
        await().atMost(DEADLINE).until(() -> cleanups.getField("progress").getLong(null) > 0);
        KillHandle first = Killswitch.kill(victim.thread, "first");
        assertTrue(first.awaitDelivery(DEADLINE), first.describe());
        await().atMost(DEADLINE).until(() -> counter("finallySteps") > 2);
        KillHandle escalated = Killswitch.kill(victim.thread, "escalated", KillOption.ESCALATE);
        assertTrue(escalated.awaitDelivery(DEADLINE), escalated.describe());
        victim.thread.join(DEADLINE.toMillis());
        assertEquals("escalated", assertInstanceOf(ThreadKilledError.class, victim.died.get()).getReason());
    }

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aLoopThatSwallowsEveryExceptionStillDies(int release) throws Exception {
        load(release);
        Method m = cleanups.getMethod("swallowingLoop");
        Victim victim = Victim.start("swallower", () -> m.invoke(null));
        await().atMost(DEADLINE).until(() -> counter("swallowed") > 3);
        KillHandle handle = Killswitch.kill(victim.thread, "swallowed?");
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        victim.thread.join(DEADLINE.toMillis());
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
    }
}
