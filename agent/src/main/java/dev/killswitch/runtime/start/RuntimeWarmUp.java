package dev.killswitch.runtime.start;

import dev.killswitch.KillStatus;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.RuntimePackages;
import dev.killswitch.runtime.blocking.BlockingCalls;
import dev.killswitch.runtime.blocking.BlockingIo;
import dev.killswitch.runtime.blocking.BlockingSynchronizers;
import dev.killswitch.runtime.cleanup.BlockEnds;
import dev.killswitch.runtime.delivery.KillRequest;
import dev.killswitch.runtime.delivery.KillStats;
import dev.killswitch.runtime.delivery.Landing;
import dev.killswitch.runtime.delivery.PendingKills;
import dev.killswitch.runtime.delivery.SwitchArmer;
import dev.killswitch.runtime.delivery.SystemThreads;
import dev.killswitch.runtime.delivery.ThreadLabels;
import dev.killswitch.runtime.delivery.Unwinding;
import dev.killswitch.runtime.delivery.VictimStack;
import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.killpoints.JumpConditions;
import dev.killswitch.runtime.killpoints.KillPoint;
import dev.killswitch.runtime.registry.CleanupRegions;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.MethodSwitch;
import dev.killswitch.runtime.registry.StagedRegistrations;
import dev.killswitch.runtime.registry.SwitchNumbers;
import dev.killswitch.runtime.registry.SwitchRegistry;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;

/**
 * Loads and initialises, when the agent starts, every class a victim may need to receive its kill. A class
 * first initialised by a victim near the stack limit would fail to initialise for good: it would throw
 * {@code NoClassDefFoundError} at every kill point from then on, in every thread, instead of the kill.
 */
final class RuntimeWarmUp {
    private static final int IFEQ = 153;
    private static final int IF_ICMPEQ = 159;
    private static final int IF_ACMPEQ = 165;
    private static final int IFNULL = 198;

    private RuntimeWarmUp() {
    }

    static void run() {
        Class<?>[] classes = {KillPoint.class, MethodSwitch.class, SwitchRegistry.class, SwitchNumbers.class, PendingKills.class, KillRequest.class,
                Landing.class, VictimStack.class, CleanupRegions.class, BlockEnds.class, Unwinding.class, JumpConditions.class,
                BlockingCalls.class, BlockingSynchronizers.class, BlockingIo.class, KillStats.class, Diagnosis.class, ThreadLabels.class, SwitchArmer.class,
                ThreadKilledError.class, KillStatus.class, InstrumentedClasses.class, SystemThreads.class, StagedRegistrations.class};
        for (Class<?> c : classes) {
            initialise(c.getName(), c.getClassLoader());
        }
        // The blocking calls' own helpers, package-private in their room.
        for (String name : new String[] {"blocking.Waits", "blocking.InterruptibleTwin", "registry.StagedRegistrations$Entry"}) {
            initialise(RuntimePackages.ROOT + "." + name, KillPoint.class.getClassLoader());
        }
        // The method handles behind armed kill points: their first call initialises JDK classes (DirectMethodHandle's
        // EnsureInitialized), which a victim near the stack limit would leave broken for the whole JVM.
        int number = SwitchNumbers.number("(warm-up)", "(warm-up)");
        MethodSwitch warm = number >= 0 ? SwitchNumbers.of(number) : new MethodSwitch("(warm-up)", "(warm-up)");
        try {
            CallSite[] sites = new CallSite[MethodSwitch.CONDITIONAL_TYPES.length];
            for (int i = 0; i < sites.length; i++) {
                sites[i] = warm.site(MethodSwitch.CONDITIONAL_TYPES[i]);
            }
            warm.arm(System.nanoTime());
            warm.site.dynamicInvoker().invokeExact();
            sites[0].dynamicInvoker().invokeExact(0, IFEQ);
            sites[1].dynamicInvoker().invokeExact(0, 0, IF_ICMPEQ);
            sites[2].dynamicInvoker().invokeExact((Object) null, IFNULL);
            sites[3].dynamicInvoker().invokeExact((Object) null, (Object) null, IF_ACMPEQ);
            sites[4].dynamicInvoker().invokeExact(1, "S1");
            KillPoint.poll();
            // A redirected blocking call's first run links it: what its bootstrap and the linked call run then.
            BlockingCalls.link(MethodHandles.lookup(), "sleep", MethodType.methodType(void.class, long.class)).getTarget().invokeExact(0L);
            if (number >= 0) { // the numbered kill points, armed
                KillPoint.at(number);
                KillPoint.atIf(0, IFEQ, number);
                KillPoint.atIf(0, 0, IF_ICMPEQ, number);
                KillPoint.atIf((Object) null, IFNULL, number);
                KillPoint.atIf(null, null, IF_ACMPEQ, number);
                KillPoint.atIfSwitch(1, "S1", number);
            }
        } catch (Throwable t) {
            // nothing is pending: these calls return
        } finally {
            warm.release(System.nanoTime());
        }
        // What the victim's landing runs the first time: a stack walk, a trace, a clock.
        VictimStack.look(0, "", "");
        Landing.withoutRuntimeFrames(new ThreadKilledError("warm-up").getStackTrace());
        Instant.now().getNano();
        JumpConditions.switchLeaves("S1", 1);
    }

    private static void initialise(String name, ClassLoader loader) {
        try {
            Class.forName(name, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            // cannot happen for classes of this jar; the kill path then initialises it as it did before
        }
    }
}
