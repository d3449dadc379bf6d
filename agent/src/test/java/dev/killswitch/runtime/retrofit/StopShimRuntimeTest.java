package dev.killswitch.runtime.retrofit;

import dev.killswitch.ThreadKilledError;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.instrument.killpoints.KillPointTransformer;
import dev.killswitch.instrument.retrofit.StopShimTransformer;
import dev.killswitch.runtime.delivery.ThreadLabels;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.ChainLoader;
import dev.killswitch.testing.Downgrade;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Old code calling Thread.stop(), ThreadGroup.stop() and stop() through a Thread subclass, rewritten by
 * the real transformers (Java 8 class files: static calls and linked sites; Java 5 class files: tests at
 * run time), run in this JVM: the victims die of ThreadKilledError with their cleanup run.
 */
class StopShimRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @BeforeAll
    static void activateRuntime() {
        RuntimeStart.activate(false);
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {52, 49})
    void threadStopKillsTheVictimSafely(int version) throws Throwable {
        Fixture f = new Fixture(version);
        Thread worker = f.startWorker("stopped-worker", null);
        int cleanups = f.cleanups();
        f.call("stopThread", new Class<?>[] {Thread.class}, worker);
        await().atMost(WAIT).until(() -> !worker.isAlive());
        ThreadKilledError died = f.diedOf(worker);
        assertTrue(died.getReason().startsWith("Thread.stop() called by " + ThreadLabels.label(Thread.currentThread())
                + " at com.acme.stop.StopCaller.stopThread(StopCaller.java:"), died.getReason());
        assertEquals("com.acme.stop.Worker", died.getStackTrace()[0].getClassName(), "delivered at a kill point of the worker");
        assertEquals(cleanups + 1, f.cleanups(), "its finally ran");
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {52, 49})
    void stopThroughTheSubclassTypeAndWithAThrowableKillToo(int version) throws Throwable {
        Fixture f = new Fixture(version);
        Thread first = f.startWorker("worker-by-subclass", null);
        f.call("stopWorker", new Class<?>[] {f.workerClass}, first);
        Thread second = f.startWorker("worker-with-throwable", null);
        f.call("stopThreadWith", new Class<?>[] {Thread.class, Throwable.class}, second, new IllegalStateException("obsolete"));
        await().atMost(WAIT).until(() -> !first.isAlive() && !second.isAlive());
        assertTrue(f.diedOf(first).getReason().startsWith("Thread.stop() called by"), f.diedOf(first).getReason());
        assertTrue(f.diedOf(second).getReason().startsWith("Thread.stop(java.lang.IllegalStateException: obsolete) called by"),
                f.diedOf(second).getReason());
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {52, 49})
    void stoppingItselfThrowsAtOnce(int version) throws Exception {
        Fixture f = new Fixture(version);
        ThreadKilledError e = assertThrows(ThreadKilledError.class, () -> f.call("stopSelf", new Class<?>[0]));
        assertTrue(e.getReason().startsWith("Thread.stop() called by " + ThreadLabels.label(Thread.currentThread())), e.getReason());
        assertEquals("com.acme.stop.StopCaller", e.getStackTrace()[0].getClassName(), "the trace starts at the caller");
        assertFalse(Thread.interrupted());
        assertThrows(ThreadKilledError.class, () -> f.call("stopSelfAndSwallow", new Class<?>[0]), "it cannot be swallowed");
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {52, 49})
    void groupStopKillsEveryThreadOfTheGroupAndItsSubgroupsThenTheCaller(int version) throws Throwable {
        Fixture f = new Fixture(version);
        ThreadGroup group = new ThreadGroup("legacy-workers");
        ThreadGroup sub = new ThreadGroup(group, "legacy-sub");
        Thread a = f.startWorker("group-worker-a", group);
        Thread b = f.startWorker("group-worker-b", sub);
        f.call("stopGroup", new Class<?>[] {ThreadGroup.class}, group);
        await().atMost(WAIT).until(() -> !a.isAlive() && !b.isAlive());
        assertTrue(f.diedOf(a).getReason().startsWith("ThreadGroup.stop() of group \"legacy-workers\" called by"), f.diedOf(a).getReason());
        assertInstanceOf(ThreadKilledError.class, f.diedOf(b));

        Thread c = f.startWorker("group-worker-c", group);
        AtomicReference<Throwable> callerDied = new AtomicReference<>();
        Thread caller = new Thread(group, () -> {
            try {
                f.call("stopGroup", new Class<?>[] {ThreadGroup.class}, group);
            } catch (Throwable t) {
                callerDied.set(t);
            }
        }, "group-member-caller");
        caller.start();
        await().atMost(WAIT).until(() -> !c.isAlive() && !caller.isAlive());
        assertInstanceOf(ThreadKilledError.class, f.diedOf(c));
        assertInstanceOf(ThreadKilledError.class, callerDied.get(), "a caller in the group is killed last, at once");
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {52, 49})
    void aClassWithStopMethodsOfItsOwnWorksAsBefore(int version) throws Throwable {
        Fixture f = new Fixture(version);
        Object machine = f.loader.loadClass("com.acme.stop.Machine").getConstructor().newInstance();
        assertEquals("stopped (overheated)", f.call("stopMachine", new Class<?>[] {machine.getClass()}, machine));
        assertThrows(NullPointerException.class, () -> f.call("stopMachine", new Class<?>[] {machine.getClass()}, (Object) null));
        assertThrows(NullPointerException.class, () -> f.call("stopThread", new Class<?>[] {Thread.class}, (Object) null));
    }

    /** The stop fixtures rewritten and instrumented, in one class loader of their own. */
    static final class Fixture {
        final ChainLoader loader;
        final Class<?> workerClass;
        final Class<?> caller;
        final Map<Thread, Throwable> died = new java.util.concurrent.ConcurrentHashMap<>();

        Fixture(int version) throws Exception {
            Map<String, byte[]> classes = InMemoryCompiler.fixtures(InMemoryCompiler.Fixtures.STOP, 8);
            if (version != 52) {
                classes = Downgrade.all(classes, version);
            }
            PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            TransformReporter reporter = new TransformReporter(false, out);
            loader = new ChainLoader(classes, // in the agent's order: the retrofits first
                    new StopShimTransformer(reporter, out, false, null),
                    new KillPointTransformer(new ClassSelector(TransformingClassLoader.globs("com.acme.**"), List.of()), reporter, null));
            workerClass = loader.loadClass("com.acme.stop.Worker");
            caller = loader.loadClass("com.acme.stop.StopCaller");
        }

        Thread startWorker(String name, ThreadGroup group) throws Exception {
            Thread t = (Thread) (group == null ? workerClass.getConstructor(String.class).newInstance(name)
                    : workerClass.getConstructor(ThreadGroup.class, String.class).newInstance(group, name));
            t.setUncaughtExceptionHandler((thread, e) -> died.put(thread, e));
            t.start();
            await().atMost(WAIT).until(() -> workerClass.getField("spinning").getBoolean(t));
            return t;
        }

        int cleanups() throws ReflectiveOperationException {
            return workerClass.getField("cleanups").getInt(null);
        }

        ThreadKilledError diedOf(Thread t) {
            await().atMost(WAIT).until(() -> died.containsKey(t));
            return assertInstanceOf(ThreadKilledError.class, died.get(t));
        }

        Object call(String method, Class<?>[] types, Object... args) throws Throwable {
            Method m = caller.getMethod(method, types);
            try {
                return m.invoke(null, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
