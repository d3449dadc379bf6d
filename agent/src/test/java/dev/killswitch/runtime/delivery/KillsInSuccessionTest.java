package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.registry.MethodSwitch;
import dev.killswitch.runtime.registry.SwitchRegistry;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import dev.killswitch.testing.Victim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills that keep coming to one method, one victim after another: its switch stays armed between them (each flip
 * deoptimises the method, for every thread that runs it, and the JIT compiles it again).
 */
class KillsInSuccessionTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @BeforeAll
    static void activateRuntime() {
        RuntimeStart.activate(false);
    }

    /**
     * A victim that meets an armed kill point lands at once, before the delivering thread has looked at its stack or
     * armed anything; such a kill, too, is one that came to the switch, and keeps it armed.
     */
    @Test
    void aLingeringSwitchStaysArmedWhileKillsKeepLandingAtIt() throws Exception {
        Class<?> spinner = new TransformingClassLoader(InMemoryCompiler.fixtures(17), "com.acme.**").loadClass("com.acme.shapes.Spinner");
        Method spin = spinner.getMethod("spin");
        MethodSwitch spinSwitch = SwitchRegistry.forMethod(spinner, "spin");
        long lingeringSince = 0;
        int kills = 0;
        for (;;) {
            boolean armed = spinSwitch.isArmedNow();
            long now = System.nanoTime();
            if (lingeringSince == 0 && armed) {
                lingeringSince = now;
            } else if (lingeringSince != 0 && !armed) {
                fail("disarmed before kill " + (kills + 1) + ", " + TimeUnit.NANOSECONDS.toMillis(now - lingeringSince)
                        + " ms after it was first seen lingering, while kills kept coming to it");
            }
            if (lingeringSince != 0 && now - lingeringSince > 2 * MethodSwitch.LINGER_NANOS + TimeUnit.MILLISECONDS.toNanos(500)) {
                break;
            }
            assertTrue(kills < 5 || lingeringSince != 0, "lingers from the second kill on");
            Victim victim = Victim.start("victim-" + kills, () -> spin.invoke(null));
            await().atMost(DEADLINE).until(() -> Arrays.stream(victim.thread.getStackTrace())
                    .anyMatch(f -> f.getClassName().equals("com.acme.shapes.Spinner")));
            KillHandle handle = Killswitch.kill(victim.thread, "one after another");
            assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
            victim.thread.join(DEADLINE.toMillis());
            assertFalse(victim.thread.isAlive());
            assertInstanceOf(ThreadKilledError.class, victim.died.get());
            await().atMost(DEADLINE).until(() -> PendingKills.tracked() == 0); // released by the delivering thread
            kills++;
        }
    }
}
