package dev.killswitch.runtime.retrofit;

import dev.killswitch.KillOption;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.delivery.KillStats;
import dev.killswitch.runtime.delivery.ThreadLabels;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import dev.killswitch.testing.Victim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the hook in Thread.interrupt() does, called here directly (this JVM's Thread is not hooked): the
 * delivering thread turns an interrupt of a thread in selected code into a kill, and leaves every other
 * interrupt alone.
 */
class InterruptKillsRuntimeTest {
    private static Method spin;
    private static Field progress;

    @BeforeAll
    static void setUp() throws Exception {
        RuntimeStart.activate(false);
        InterruptKills.enable();
        Class<?> tasks = new TransformingClassLoader(InMemoryCompiler.fixtures(17), "com.acme.**").loadClass("com.acme.retrofit.Tasks");
        spin = tasks.getMethod("spin");
        progress = tasks.getField("progress");
    }

    @Test
    void anInterruptOfAThreadInSelectedCodeKillsIt() throws Exception {
        Victim victim = Victim.start("interrupted-spinner", () -> spin.invoke(null));
        awaitProgress();
        InterruptKills.interrupting(victim.thread); // what the hooked Thread.interrupt() does first
        victim.thread.interrupt();
        await().atMost(Duration.ofSeconds(5)).until(() -> !victim.thread.isAlive());
        ThreadKilledError e = assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertEquals("interrupted by " + ThreadLabels.label(Thread.currentThread()) + " (interrupt-kills=true)", e.getReason());
    }

    @Test
    void anInterruptOfAThreadOutsideSelectedCodeStaysAPlainInterrupt() {
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        Victim victim = Victim.start("unselected-spinner", () -> {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
            sawInterrupt.set(true);
            long until = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // the delivering thread samples meanwhile: nothing selected here
            }
            return null;
        });
        long requested = KillStats.requested();
        InterruptKills.interrupting(victim.thread);
        victim.thread.interrupt();
        await().atMost(Duration.ofSeconds(5)).until(() -> !victim.thread.isAlive());
        assertTrue(sawInterrupt.get());
        assertEquals(null, victim.died.get(), "it ended normally");
        assertEquals(requested, KillStats.requested(), "no kill");
    }

    @Test
    void aThreadInterruptingItselfIsNotKilled() throws Exception {
        long requested = KillStats.requested();
        Victim victim = Victim.start("self-interrupter", () -> {
            InterruptKills.interrupting(Thread.currentThread()); // restoring its own interrupt status
            Thread.currentThread().interrupt();
            Thread.interrupted();
            return spin.invoke(null);
        });
        awaitProgress();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> victim.thread.isAlive());
        assertEquals(requested, KillStats.requested(), "no kill");
        Killswitch.kill(victim.thread, "end of test").awaitThreadEnd(Duration.ofSeconds(5));
    }

    @Test
    void anInterruptOfAThreadWhoseKillIsPendingAddsNothing() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        Victim victim = Victim.start("already-doomed", () -> {
            while (!release.get()) {
                Thread.onSpinWait(); // unselected: the kill stays pending meanwhile, however slow the machine
            }
            return spin.invoke(null);
        });
        // Unselected code first: a kill that waits for selected code stays pending meanwhile.
        assertEquals(KillStatus.PENDING, Killswitch.kill(victim.thread, "first", KillOption.WAIT_FOR_SELECTED_CODE).status());
        long requested = KillStats.requested();
        InterruptKills.interrupting(victim.thread);
        release.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !victim.thread.isAlive());
        assertEquals("first", ((ThreadKilledError) victim.died.get()).getReason());
        assertEquals(requested, KillStats.requested(), "the interrupt requested no second kill");
    }

    private static void awaitProgress() throws IllegalAccessException {
        long start = progress.getLong(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> progress.getLong(null) > start + 1);
    }
}
