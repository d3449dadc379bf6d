package dev.killswitch.runtime.retrofit;

import dev.killswitch.ThreadKilledError;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.instrument.killpoints.KillPointTransformer;
import dev.killswitch.instrument.retrofit.DeadlineTransformer;
import dev.killswitch.runtime.delivery.KillStats;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.ChainLoader;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadlines on methods of a real fixture, wrapped by the real transformer: the watchdog kills a thread
 * that stays too long, through the ordinary kill path, and never one that left in time.
 */
class DeadlinesRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Ids as the agent numbers them: the order of the configuration. */
    private static final String[][] CONFIGURED = {
            {"com.acme.deadline.Jobs", "report", "150ms"},
            {"com.acme.deadline.Jobs", "recurse", "150ms"},
            {"com.acme.deadline.Jobs", "fail", "50ms"},
            {"com.acme.deadline.Jobs", "nap", "5s"},
    };

    @BeforeAll
    static void configure() {
        RuntimeStart.activate(false);
        String[] names = new String[CONFIGURED.length];
        long[] budgets = new long[CONFIGURED.length];
        String[] texts = new String[CONFIGURED.length];
        for (int i = 0; i < CONFIGURED.length; i++) {
            names[i] = CONFIGURED[i][0] + "." + CONFIGURED[i][1];
            texts[i] = CONFIGURED[i][2];
            budgets[i] = CONFIGURED[i][2].endsWith("ms") ? TimeUnit.MILLISECONDS.toNanos(Long.parseLong(texts[i].replace("ms", "")))
                    : TimeUnit.SECONDS.toNanos(Long.parseLong(texts[i].replace("s", "")));
        }
        Deadlines.configure(names, budgets, texts);
    }

    @Test
    void aThreadStuckInTheMethodIsKilledThroughTheOrdinaryKillPath() throws Exception {
        Class<?> jobs = load(true);
        long requested = KillStats.requested();
        long delivered = KillStats.delivered();
        int cleanups = jobs.getField("cleanups").getInt(null);
        Run run = Run.start("stuck-report", () -> invoke(jobs, "report", new Class<?>[] {long.class}, -1L));
        ThreadKilledError e = assertInstanceOf(ThreadKilledError.class, run.awaitEnd());
        assertEquals("deadline exceeded: more than 150ms in com.acme.deadline.Jobs.report (deadline=com.acme.deadline.Jobs.report:150ms)",
                e.getReason());
        assertTrue(e.getStackTrace()[0].getClassName().equals("com.acme.deadline.Jobs"), "delivered at a kill point: " + e.getStackTrace()[0]);
        assertEquals(cleanups + 1, jobs.getField("cleanups").getInt(null), "its finally ran");
        // The deliverer counts a delivered kill just after it landed: the victim does nothing between deciding and throwing.
        await().atMost(WAIT).until(() -> KillStats.requested() > requested && KillStats.delivered() > delivered);
    }

    @Test
    void aMethodThatReturnsOrThrowsInTimeIsLeftAloneAndItsDeadlineEnds() throws Exception {
        Class<?> jobs = load(true);
        long requested = KillStats.requested();
        AtomicReference<Object> results = new AtomicReference<>();
        Run run = Run.start("in-time", () -> {
            List<Object> r = new ArrayList<>();
            r.add(invoke(jobs, "report", new Class<?>[] {long.class}, 1000L));
            r.add(invoke(jobs, "report", new Class<?>[] {long.class, String.class}, 10L, "overload"));
            try {
                invoke(jobs, "fail", new Class<?>[] {String.class}, "disk full");
            } catch (IOException e) {
                r.add(e.getMessage());
            }
            // Well past every budget, in code without a deadline: the deadlines left behind must not fire.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() < until) {
                invoke(jobs, "spin", new Class<?>[] {long.class}, 1000L);
            }
            results.set(r);
            return null;
        });
        assertNull(run.awaitEnd(), "no kill");
        assertEquals(List.of("report of 1000 rows", "overload: report of 10 rows", "disk full"), results.get());
        assertEquals(requested, KillStats.requested(), "no kill requested");
    }

    @Test
    void recursionSharesOneClockAndTheThreadCanEnterAgainAfterwards() throws Exception {
        Class<?> jobs = load(true);
        AtomicReference<Object> after = new AtomicReference<>();
        Run run = Run.start("recursion", () -> {
            try {
                invoke(jobs, "recurse", new Class<?>[] {int.class, long.class}, 200, -1L);
            } catch (ThreadKilledError e) {
                after.set(invoke(jobs, "recurse", new Class<?>[] {int.class, long.class}, 200, 10L));
                throw e;
            }
            return null;
        });
        ThreadKilledError e = assertInstanceOf(ThreadKilledError.class, run.awaitEnd());
        assertTrue(e.getReason().contains("in com.acme.deadline.Jobs.recurse"), e.getReason());
        assertEquals(200, after.get(), "a fresh call after the kill runs with a fresh clock and returns");
    }

    @Test
    void withoutKillPointsInsideTheKillLandsWhenTheMethodReturns() throws Exception {
        Class<?> jobs = load(false); // deadline wrapper only: no kill point anywhere in the class
        // 200 million volatile writes: well over the 150 ms budget anywhere, and done in seconds even on a loaded machine.
        Run run = Run.start("no-kill-points", () -> invoke(jobs, "report", new Class<?>[] {long.class}, 200_000_000L));
        ThreadKilledError e = assertInstanceOf(ThreadKilledError.class, run.awaitEnd(Duration.ofSeconds(60)));
        StackTraceElement at = e.getStackTrace()[0];
        assertEquals("com.acme.deadline.Jobs.report", at.getClassName() + "." + at.getMethodName(), "killed as it leaves: " + at);
    }

    @Test
    void anEntryWhoseExitWasNeverRecordedIsNotAKill() throws Exception {
        Class<?> jobs = load(true);
        long requested = KillStats.requested();
        Run run = Run.start("stale", () -> {
            Deadlines.enter(0); // as if report's exit had been lost
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() < until) {
                invoke(jobs, "spin", new Class<?>[] {long.class}, 1000L);
            }
            return invoke(jobs, "report", new Class<?>[] {long.class}, -1L);
        });
        ThreadKilledError e = assertInstanceOf(ThreadKilledError.class, run.awaitEnd());
        assertTrue(e.getReason().contains("Jobs.report"), e.getReason());
        assertEquals(requested + 1, KillStats.requested(), "only the real overrun was killed");
    }

    @Test
    void aKillPendingFromSomeoneElseIsNotDisturbed() throws Exception {
        Class<?> jobs = load(true);
        Run run = Run.start("napper", () -> invoke(jobs, "nap", new Class<?>[] {long.class}, 60_000L));
        await().atMost(WAIT).until(() -> run.thread.getState() == Thread.State.TIMED_WAITING);
        // Accepted: PENDING, or DELIVERED already if it landed before the status was read.
        assertFalse(dev.killswitch.Killswitch.kill(run.thread, "operator").status().isRefused());
        ThreadKilledError e = assertInstanceOf(ThreadKilledError.class, run.awaitEnd());
        assertEquals("operator", e.getReason());
        assertFalse(run.thread.isAlive());
    }

    private static Class<?> load(boolean killPoints) throws ClassNotFoundException {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        TransformReporter reporter = new TransformReporter(false, out);
        List<String[]> methods = new ArrayList<>();
        for (String[] c : CONFIGURED) {
            methods.add(new String[] {c[0], c[1]});
        }
        DeadlineTransformer deadlines = new DeadlineTransformer(methods, reporter, out, false, null);
        ChainLoader loader = killPoints
                ? new ChainLoader(InMemoryCompiler.fixtures(17), deadlines, // in the agent's order: the retrofits first
                new KillPointTransformer(new ClassSelector(TransformingClassLoader.globs("com.acme.**"), List.of()), reporter, null))
                : new ChainLoader(InMemoryCompiler.fixtures(17), deadlines);
        return loader.loadClass("com.acme.deadline.Jobs");
    }

    static Object invoke(Class<?> c, String name, Class<?>[] types, Object... args) throws Exception {
        Method m = c.getMethod(name, types);
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw (Exception) e.getCause();
        }
    }

    /** A thread running a body; what it ended with. */
    static final class Run {
        final Thread thread;
        final AtomicReference<Throwable> ended = new AtomicReference<>();

        private Run(String name, java.util.concurrent.Callable<?> body) {
            thread = new Thread(() -> {
                try {
                    body.call();
                } catch (Throwable t) {
                    ended.set(t);
                }
            }, name);
            thread.setDaemon(true);
        }

        static Run start(String name, java.util.concurrent.Callable<?> body) {
            Run r = new Run(name, body);
            r.thread.start();
            return r;
        }

        Throwable awaitEnd() throws InterruptedException {
            return awaitEnd(WAIT);
        }

        Throwable awaitEnd(Duration wait) throws InterruptedException {
            thread.join(wait.toMillis());
            assertFalse(thread.isAlive(), thread.getName() + " still runs");
            return ended.get();
        }
    }
}
