package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.KillOption;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.OldClassFiles;
import dev.killswitch.testing.TransformingClassLoader;
import dev.killswitch.testing.Victim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Opcodes;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills threads running instrumented fixtures in this JVM: the real transformer, the real runtime,
 * every loop shape at each kind of kill point (numbered and invokedynamic per-method switches, the shared static call).
 */
class KillDeliveryTest {
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    @BeforeAll
    static void activateRuntime() {
        RuntimeStart.activate(false);
    }

    static Stream<Arguments> shapesAtEachRelease() {
        Method[] methods = shapesClass(InMemoryCompiler.fixtures(17)).getDeclaredMethods();
        String[] shapes = Arrays.stream(methods)
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 1)
                .map(Method::getName).sorted().toArray(String[]::new);
        return IntStream.of(8, 17, InMemoryCompiler.newestRelease()).distinct().boxed()
                .flatMap(release -> Arrays.stream(shapes).map(shape -> Arguments.of(release, shape)));
    }

    @ParameterizedTest(name = "{1} at --release {0}")
    @MethodSource("shapesAtEachRelease")
    void aKillLandsInEveryLoopShape(int release, String shape) throws Exception {
        killInEveryLoopShape(loadInstrumented(InMemoryCompiler.fixtures(release), "com.acme.shapes.Shapes"), shape);
    }

    static Stream<String> shapes() {
        return shapesAtEachRelease().filter(a -> (int) a.get()[0] == 17).map(a -> (String) a.get()[1]);
    }

    /** The kill points class files get once kill-point numbers run out (a JVM that transformed 16 million methods). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void aKillLandsInEveryLoopShapeThroughInvokedynamicKillPoints(String shape) throws Exception {
        killInEveryLoopShape(TransformingClassLoader.withoutNumbers(InMemoryCompiler.fixtures(17), "com.acme.**")
                .loadClass("com.acme.shapes.Shapes"), shape);
    }

    private static void killInEveryLoopShape(Class<?> shapes, String shape) throws Exception {
        Method method = shapes.getMethod(shape, long.class);
        Victim victim = Victim.start("victim-" + shape, () -> method.invoke(null, -1L));
        awaitProgress(shapes.getField("progress"));

        KillHandle handle = Killswitch.kill(victim.thread, "test of " + shape);
        // Accepted: PENDING, or DELIVERED already if it landed before the status was read.
        assertFalse(handle.status().isRefused(), handle.describe());
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        assertTrue(handle.awaitThreadEnd(DEADLINE), handle.describe());

        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertTrue(victim.died.get().getMessage().contains("test of " + shape));
        StackTraceElement at = handle.deliveredAt().orElseThrow();
        assertTrue(at.getClassName().startsWith("com.acme.shapes.Shapes"), "delivered at " + at);
        assertEquals(at, victim.died.get().getStackTrace()[0], "the error's stack trace starts where it was delivered");
        assertTrue(handle.deliveryLatency().orElseThrow().compareTo(DEADLINE) < 0);
        assertFalse(Killswitch.isKillPending(victim.thread));
        assertTrue(handle.describe().contains("delivered"), handle.describe());
    }

    @ParameterizedTest(name = "class-file version {0}")
    @ValueSource(ints = {Opcodes.V1_1, Opcodes.V1_4, Opcodes.V1_6})
    void aKillLandsInOldClassFilesThroughNumberedKillPointsAndTheirJsrFinallyRuns(int version) throws Exception {
        killInOldClassFile(new TransformingClassLoader(Map.of(OldClassFiles.GUARDED, OldClassFiles.guardedLoop(version)),
                "com.acme.old.*"));
    }

    @ParameterizedTest(name = "class-file version {0}")
    @ValueSource(ints = {Opcodes.V1_1, Opcodes.V1_4, Opcodes.V1_6})
    void aKillLandsInOldClassFilesThroughTheSharedSwitchOnceNumbersRunOut(int version) throws Exception {
        killInOldClassFile(TransformingClassLoader.withoutNumbers(Map.of(OldClassFiles.GUARDED, OldClassFiles.guardedLoop(version)),
                "com.acme.old.*"));
    }

    private static void killInOldClassFile(TransformingClassLoader loader) throws Exception {
        Class<?> guarded = loader.loadClass(OldClassFiles.GUARDED);
        Method run = guarded.getMethod("run", int.class);
        Victim victim = Victim.start("old-victim", () -> run.invoke(null, -1));
        awaitProgress(guarded.getField("progress"));

        KillHandle handle = Killswitch.kill(victim.thread, "old code");
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        assertTrue(handle.awaitThreadEnd(DEADLINE));
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals(1, guarded.getField("finallies").getInt(null), "the jsr/ret finally ran once");
        assertEquals("run", handle.deliveredAt().orElseThrow().getMethodName());
    }

    @Test
    void aThreadRunningTheSameMethodIsNotTouched() throws Exception {
        Class<?> shapes = loadInstrumented(InMemoryCompiler.fixtures(17), "com.acme.shapes.Shapes");
        Method whileLoop = shapes.getMethod("whileLoop", long.class);
        AtomicLong bystanderRuns = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Victim bystander = Victim.start("bystander", () -> {
            while (!stop.get()) {
                whileLoop.invoke(null, 20_000L);
                bystanderRuns.incrementAndGet();
            }
            return null;
        });
        Victim victim = Victim.start("victim", () -> whileLoop.invoke(null, -1L));
        await().until(() -> bystanderRuns.get() > 10);

        KillHandle handle = Killswitch.kill(victim.thread, "only this one");
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        long after = bystanderRuns.get();
        await().atMost(DEADLINE).until(() -> bystanderRuns.get() > after + 10);
        stop.set(true);
        bystander.thread.join(DEADLINE.toMillis());
        assertEquals(null, bystander.died.get(), "the bystander was not killed");
        assertFalse(bystander.thread.isAlive());
    }

    @Test
    void aKillWakesASleepingThreadAndLeavesNoInterruptBehind() throws Exception {
        Class<?> waits = loadInstrumented(InMemoryCompiler.fixtures(17), "com.acme.waits.Waits");
        Method sleep = waits.getMethod("sleepSwallowingInterrupts", long.class);
        AtomicBoolean interruptedAfterKill = new AtomicBoolean(true);
        Victim victim = Victim.start("sleeper", () -> {
            try {
                return sleep.invoke(null, -1L);
            } finally {
                interruptedAfterKill.set(Thread.currentThread().isInterrupted());
            }
        });
        await().until(() -> victim.thread.getState() == Thread.State.TIMED_WAITING);

        KillHandle handle = Killswitch.kill(victim.thread, "wake up");
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        assertTrue(handle.awaitThreadEnd(DEADLINE));
        assertFalse(interruptedAfterKill.get(), "the interrupt used to wake the thread is cleared on delivery");
    }

    @Test
    void aMonitorHeldByTheVictimIsReleased() throws Exception {
        Class<?> shapes = loadInstrumented(InMemoryCompiler.fixtures(17), "com.acme.shapes.Shapes");
        Method locked = shapes.getMethod("synchronizedMethod", long.class);
        Victim victim = Victim.start("holder", () -> locked.invoke(null, -1L));
        awaitProgress(shapes.getField("progress"));
        AtomicBoolean acquired = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            synchronized (shapes) {
                acquired.set(true);
            }
        });
        waiter.start();
        await().until(() -> waiter.getState() == Thread.State.BLOCKED);

        assertTrue(Killswitch.kill(victim.thread, "release the lock").awaitDelivery(DEADLINE));
        waiter.join(DEADLINE.toMillis());
        assertTrue(acquired.get(), "another thread took the monitor");
    }

    @Test
    void killsOfThreadsThatAreNotAliveAreRefused() throws Exception {
        Thread unstarted = new Thread(() -> { });
        KillHandle h = Killswitch.kill(unstarted, "too early");
        assertEquals(KillStatus.NOT_ALIVE, h.status());
        assertTrue(h.status().isRefused());
        assertTrue(h.describe().contains("has not been started"), h.describe());

        Thread ended = new Thread(() -> { });
        ended.start();
        ended.join();
        h = Killswitch.kill(ended, "too late");
        assertEquals(KillStatus.NOT_ALIVE, h.status());
        assertTrue(h.describe().contains("has already ended"), h.describe());
        assertTrue(h.hasThreadEnded());
        assertFalse(h.awaitDelivery(Duration.ofMillis(10)));
    }

    /** Rule 5: a thread dying of a kill, in its uncaught-exception handler, is still being killed: another kill coalesces. */
    @Test
    void aSecondKillOfAThreadDyingOfTheFirstCoalescesWithIt() throws Exception {
        Class<?> shapes = loadInstrumented(InMemoryCompiler.fixtures(17), "com.acme.shapes.Shapes");
        Method method = shapes.getMethod("whileLoop", long.class);
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread dying = new Thread(() -> {
            try {
                method.invoke(null, -1L);
            } catch (ReflectiveOperationException e) {
                throw (Error) e.getCause();
            }
        }, "dying");
        dying.setDaemon(true);
        dying.setUncaughtExceptionHandler((t, e) -> {
            inHandler.countDown();
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        dying.start();
        awaitProgress(shapes.getField("progress"));
        KillHandle first = Killswitch.kill(dying, "first");
        assertTrue(inHandler.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), first.describe());

        KillHandle second = Killswitch.kill(dying, "second, while it dies of the first");
        await().atMost(DEADLINE).until(() -> second.status() != KillStatus.PENDING);
        assertEquals(KillStatus.ALREADY_BEING_KILLED, second.status(), second.describe());
        assertSame(first, second.pendingKill().orElseThrow(), second.describe());
        release.countDown();
        dying.join();
    }

    @Test
    void aThreadWithNoSelectedCodeOnItsStackIsLeftAloneAndNotInterrupted() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread unselected = unselectedSpinner(stop);

        KillHandle kill = Killswitch.kill(unselected, "aimed at nothing");
        await().atMost(DEADLINE).until(() -> kill.status() != KillStatus.PENDING);
        assertEquals(KillStatus.NOT_IN_SELECTED_CODE, kill.status(), kill.describe());
        assertTrue(kill.describe().contains("no selected code on its stack"), kill.describe());
        assertFalse(Killswitch.isKillPending(unselected));
        assertFalse(unselected.isInterrupted(), "nothing was done to it");
        stop.set(true);
        unselected.join();
    }

    @Test
    void aKillThatWaitsForSelectedCodeStaysPendingAndASecondKillIsRefused() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread unselected = unselectedSpinner(stop);

        KillHandle first = Killswitch.kill(unselected, "first", KillOption.WAIT_FOR_SELECTED_CODE);
        assertFalse(first.awaitDelivery(Duration.ofMillis(200)), "no kill point in unselected code");
        assertTrue(Killswitch.isKillPending(unselected));
        assertTrue(first.describe().contains("no selected code on its stack: the kill waits until it runs some"), first.describe());
        assertFalse(unselected.isInterrupted(), "it is not woken while it waits");

        KillHandle second = Killswitch.kill(unselected, "second");
        assertEquals(KillStatus.ALREADY_BEING_KILLED, second.status());
        assertSame(first, second.pendingKill().orElseThrow());
        assertTrue(second.describe().contains("already being killed"), second.describe());

        stop.set(true);
        unselected.join();
        await().atMost(DEADLINE).until(() -> first.status() == KillStatus.THREAD_ENDED);
        assertFalse(Killswitch.isKillPending(unselected));
        assertTrue(first.describe().contains("ended before"), first.describe());
    }

    @Test
    void withoutAnActiveAgentKillsAreRefusedWithTheReason() {
        try {
            KillRuntime.disable("unknown key \"x\" in agent argument");
            assertFalse(Killswitch.isActive());
            KillHandle h = Killswitch.kill(Thread.currentThread(), "nope");
            assertEquals(KillStatus.AGENT_INACTIVE, h.status());
            assertTrue(h.describe().contains("disabled: unknown key"), h.describe());
            assertFalse(Killswitch.isKillPending(Thread.currentThread()));
        } finally {
            RuntimeStart.activate(false);
        }
        assertTrue(Killswitch.isActive());
    }

    /** Executors rename a worker when its task ends (Spark's does): the kill's line, written later, names the thread it aimed at. */
    @Test
    void aKillNamesTheThreadAsItWasWhenAskedThoughTheThreadRenamesItselfAsItUnwinds() throws Exception {
        Class<?> shapes = loadInstrumented(InMemoryCompiler.fixtures(17), "com.acme.shapes.Shapes");
        Method whileLoop = shapes.getMethod("whileLoop", long.class);
        CountDownLatch renamed = new CountDownLatch(1);
        Victim task = Victim.start("worker for task 7", () -> {
            try {
                return whileLoop.invoke(null, -1L);
            } finally {
                Thread.currentThread().setName("idle worker");
                renamed.countDown();
            }
        });
        awaitProgress(shapes.getField("progress"));
        KillHandle kill = Killswitch.kill(task.thread, "task 7 cancelled");
        assertTrue(kill.awaitDelivery(DEADLINE), kill.describe());
        assertTrue(renamed.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(kill.describe().contains("\"worker for task 7\" delivered after"), kill.describe());
        KillHandle late = Killswitch.kill(task.thread, "again");
        assertTrue(late.describe().contains("\"idle worker\""), "a new request names it as it is now: " + late.describe());
    }

    @Test
    void aThreadCanKillItself() throws Exception {
        Class<?> shapes = loadInstrumented(InMemoryCompiler.fixtures(17), "com.acme.shapes.Shapes");
        Method whileLoop = shapes.getMethod("whileLoop", long.class);
        AtomicReference<KillHandle> handle = new AtomicReference<>();
        Victim self = Victim.start("self", () -> {
            // Asked from this unselected lambda: it waits for the selected code that comes next.
            handle.set(Killswitch.kill(Thread.currentThread(), "suicide", KillOption.WAIT_FOR_SELECTED_CODE));
            return whileLoop.invoke(null, -1L);
        });
        self.thread.join(DEADLINE.toMillis());
        assertInstanceOf(ThreadKilledError.class, self.died.get());
        assertTrue(handle.get().isDelivered());
    }

    // --- helpers --------------------------------------------------------------------------------

    /** A thread spinning in test code, which is not instrumented, until {@code stop}. */
    private static Thread unselectedSpinner(AtomicBoolean stop) {
        AtomicLong spins = new AtomicLong();
        Thread unselected = new Thread(() -> {
            while (!stop.get()) {
                spins.incrementAndGet();
            }
        }, "unselected-spinner");
        unselected.start();
        await().until(() -> spins.get() > 1000);
        return unselected;
    }

    private static Class<?> shapesClass(Map<String, byte[]> classes) {
        try {
            return new TransformingClassLoader(classes).loadClass("com.acme.shapes.Shapes");
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static Class<?> loadInstrumented(Map<String, byte[]> classes, String name) throws ClassNotFoundException {
        return new TransformingClassLoader(classes, "com.acme.**").loadClass(name);
    }

    private static void awaitProgress(Field progress) throws IllegalAccessException {
        long start = progress.getLong(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> progress.getLong(null) > start + 1);
    }
}
