package dev.killswitch.runtime.retrofit;

import dev.killswitch.KillOption;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Killswitch.callWithDeadline on this very thread (the test's), with real instrumented fixtures. */
class CallWithDeadlineTest {
    private static Method spin;

    @BeforeAll
    static void load() throws Exception {
        RuntimeStart.activate(false);
        spin = new TransformingClassLoader(InMemoryCompiler.fixtures(17), "com.acme.**").loadClass("com.acme.deadline.Jobs")
                .getMethod("spin", long.class);
    }

    /** The fixture's spin, called as code calls code: what it throws comes out as it is. */
    private static Object spin(long n) throws Exception {
        try {
            return spin.invoke(null, n);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw (Exception) e.getCause();
        }
    }

    @Test
    void anOverrunIsKilledAndBecomesATimeoutExceptionAndTheCallerLivesOn() {
        TimeoutException e = assertThrows(TimeoutException.class,
                () -> Killswitch.callWithDeadline(Duration.ofMillis(100), () -> spin(-1L)));
        assertEquals("the call ran longer than its budget of 100 ms and was killed", e.getMessage());
        ThreadKilledError cause = assertInstanceOf(ThreadKilledError.class, e.getCause());
        assertEquals("callWithDeadline: ran longer than 100 ms", cause.getReason());
        assertEquals("com.acme.deadline.Jobs", cause.getStackTrace()[0].getClassName(), "killed where it spun");
        assertFalse(Thread.interrupted(), "the interrupt that woke it is gone");
        assertFalse(Killswitch.isKillPending(Thread.currentThread()));
    }

    @Test
    void aCallInTimePassesItsResultOrExceptionThroughUnchanged() throws Exception {
        assertEquals(1000L, Killswitch.callWithDeadline(Duration.ofSeconds(10), () -> spin(1000L)));
        IOException thrown = new IOException("disk full");
        assertSame(thrown, assertThrows(IOException.class, () -> Killswitch.callWithDeadline(Duration.ofSeconds(10), () -> {
            throw thrown;
        })));
        OutOfMemoryError error = new OutOfMemoryError("test");
        assertSame(error, assertThrows(OutOfMemoryError.class, () -> Killswitch.callWithDeadline(Duration.ofSeconds(10), () -> {
            throw error;
        })));
    }

    @Test
    void anOverrunInCodeWithoutKillPointsIsKilledWhenTheCallReturns() {
        TimeoutException e = assertThrows(TimeoutException.class, () -> Killswitch.callWithDeadline(Duration.ofMillis(20), () -> {
            // This test class has no kill points: it runs on until the deadline's kill is pending (or 20 s have gone).
            long until = System.nanoTime() + 20_000_000_000L;
            long n = 0;
            while (!Killswitch.isKillPending(Thread.currentThread()) && System.nanoTime() < until) {
                n++;
            }
            return n;
        }));
        ThreadKilledError cause = assertInstanceOf(ThreadKilledError.class, e.getCause());
        assertTrue(cause.getStackTrace()[0].getClassName().startsWith("dev.killswitch.Killswitch"), "landed at the boundary: "
                + cause.getStackTrace()[0]);
    }

    @Test
    void someoneElsesKillStillPropagates() {
        ThreadKilledError e = assertThrows(ThreadKilledError.class, () -> Killswitch.callWithDeadline(Duration.ofSeconds(10), () -> {
            // Asked from this unselected lambda, before the selected code runs: it must wait for it.
            assertSame(KillStatus.PENDING, Killswitch.kill(Thread.currentThread(), "the operator", KillOption.WAIT_FOR_SELECTED_CODE).status());
            return spin(-1L);
        }));
        assertEquals("the operator", e.getReason());
        Thread.interrupted();
    }

    @Test
    void nestedCallsEachKeepTheirOwnBudget() throws Exception {
        String result = Killswitch.callWithDeadline(Duration.ofSeconds(10), () -> {
            assertThrows(TimeoutException.class, () -> Killswitch.callWithDeadline(Duration.ofMillis(50), () -> spin(-1L)));
            return "outer survived the inner timeout";
        });
        assertEquals("outer survived the inner timeout", result);
        TimeoutException outer = assertThrows(TimeoutException.class, () -> Killswitch.callWithDeadline(Duration.ofMillis(100),
                () -> Killswitch.callWithDeadline(Duration.ofSeconds(10), () -> spin(-1L))));
        assertEquals("callWithDeadline: ran longer than 100 ms", ((ThreadKilledError) outer.getCause()).getReason());
    }

    @Test
    void anOverrunWhoseKillTheTaskWrappedIsStillATimeout() {
        TimeoutException e = assertThrows(TimeoutException.class, () -> Killswitch.callWithDeadline(Duration.ofMillis(50), () -> {
            try {
                return spin(-1L);
            } catch (ThreadKilledError killed) {
                throw new IllegalStateException("wrapped", killed);
            }
        }));
        assertInstanceOf(ThreadKilledError.class, e.getCause());
        assertEquals("wrapped", e.getSuppressed()[0].getMessage());
    }

    /** The caller is selected code whose catch blocks give back a kill they caught: the timeout must not count as one. */
    @Test
    void aSelectedCallerHandlesTheTimeoutAndCarriesOn() throws Exception {
        Map<String, byte[]> api = InMemoryCompiler.fixtures(InMemoryCompiler.Fixtures.API, 17);
        Method runStep = new TransformingClassLoader(api, "com.acme.**").loadClass("com.acme.api.DeadlineCaller")
                .getMethod("runStep", long.class, long.class);
        assertEquals("timed out, then carried on", runStep.invoke(null, 50L, -1L));
        assertEquals("returned 1000, then carried on", runStep.invoke(null, 10_000L, 1000L));
        assertFalse(Killswitch.isKillPending(Thread.currentThread()));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(NullPointerException.class, () -> Killswitch.callWithDeadline(null, () -> 1));
        assertThrows(NullPointerException.class, () -> Killswitch.callWithDeadline(Duration.ofSeconds(1), null));
        assertThrows(IllegalArgumentException.class, () -> Killswitch.callWithDeadline(Duration.ZERO, () -> 1));
        assertThrows(IllegalArgumentException.class, () -> Killswitch.callWithDeadline(Duration.ofSeconds(-1), () -> 1));
    }

    @Test
    void withoutTheAgentTheTaskRunsWithoutADeadline() throws Exception {
        KillRuntime.disable("test");
        try {
            assertEquals(5L, Killswitch.callWithDeadline(Duration.ofMillis(1), () -> {
                Thread.sleep(50);
                return 5L;
            }));
        } finally {
            RuntimeStart.activate(false);
        }
    }
}
