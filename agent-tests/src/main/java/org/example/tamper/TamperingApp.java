package org.example.tamper;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;
import dev.killswitch.it.child.Fixtures;
import dev.killswitch.it.child.Report;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.delivery.SwitchArmer;
import dev.killswitch.runtime.registry.CleanupRegions;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.MethodSwitch;
import dev.killswitch.runtime.retrofit.Deadlines;
import dev.killswitch.runtime.retrofit.InterruptKills;
import dev.killswitch.runtime.start.RuntimeStart;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An application that reaches for the runtime's switches, which are public on the bootstrap path: it
 * tries to switch the agent off and on, configure retrofits and register what it likes, then kills a
 * spinning thread. Every attempt must be refused, and the agent must work as before. (Outside the
 * project's packages, as an application is.)
 */
public final class TamperingApp {
    private TamperingApp() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> tries = new LinkedHashMap<>();
        tries.put("active", Killswitch.isActive());
        attempt(tries, "disable", () -> KillRuntime.disable("an application said so"));
        attempt(tries, "activate", () -> KillRuntime.activate(false));
        attempt(tries, "start", () -> RuntimeStart.activate(false));
        attempt(tries, "interruptDecider", () -> SwitchArmer.decideInterruptsWith(null));
        attempt(tries, "waitCloser", () -> SwitchArmer.closeWaitsWith(null));
        attempt(tries, "armedTargets", () -> MethodSwitch.armedTargetsAre(null, null));
        attempt(tries, "outcomes", () -> KillRuntime.reportOutcomesTo(null));
        attempt(tries, "interruptKills", InterruptKills::enable);
        attempt(tries, "deadlines", () -> Deadlines.configure(new String[] {"com.acme.X.y"}, new long[] {1}, new String[] {"1ns"}));
        attempt(tries, "cleanupRegions", () -> CleanupRegions.register(null, "com/acme/X", Map.of()));
        attempt(tries, "instrumentedClasses", () -> InstrumentedClasses.register("com/acme/X", false, false, new int[4], 0));
        // Through JDK frames, which a caller check must not mistake for the runtime: a method reference run by a
        // JDK class (the JDK's frame is the caller the guarded method sees).
        attempt(tries, "disableThroughTheJdk", () -> Optional.of("an application, through Optional").ifPresent(KillRuntime::disable));
        attempt(tries, "enableThroughAThread", () -> {
            Thread t = new Thread(InterruptKills::enable);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            t.setUncaughtExceptionHandler((thread, e) -> failed.set(e));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failed.get() instanceof IllegalCallerException) {
                throw (IllegalCallerException) failed.get();
            }
        });
        tries.put("activeAfter", Killswitch.isActive());
        Report.line("TAMPERED", tries);

        Thread spinner = Fixtures.forever("com.acme.shapes.Shapes", "whileTrue", "spinner");
        spinner.start();
        Fixtures.awaitIn(spinner, "whileTrue");
        KillHandle handle = Killswitch.kill(spinner, "after tampering");
        handle.awaitDelivery(Duration.ofSeconds(5));
        Report.line("KILL", Map.of("status", handle.status(), "describe", handle.describe()));
        System.exit(0);
    }

    private static void attempt(Map<String, Object> tries, String what, Runnable action) {
        try {
            action.run();
            tries.put(what, "ALLOWED");
        } catch (IllegalCallerException e) {
            tries.put(what, "REFUSED");
            tries.putIfAbsent("message", e.getMessage());
        }
    }
}
