package dev.killswitch.runtime.delivery;

import dev.killswitch.runtime.killpoints.KillPoint;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.KillPointKind;
import dev.killswitch.runtime.registry.MethodSwitch;
import dev.killswitch.runtime.registry.SwitchRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which method a kill arms first when its victim runs selected code: the one that deoptimises least code of other
 * threads. A victim in {@code Inner.sum}, called by {@code Outer.loop}, called by {@code Outer.run}.
 */
class FirstToArmTest {
    private static final long MS = 1_000_000L;

    static final class Outer {
    }

    static final class Inner {
    }

    static final class Solo {
    }

    private static final StackTraceElement SUM = new StackTraceElement(Inner.class.getName(), "sum", "FirstToArmTest.java", 1);
    private static final StackTraceElement LOOP = new StackTraceElement(Outer.class.getName(), "loop", "FirstToArmTest.java", 2);
    private static final StackTraceElement RUN = new StackTraceElement(Outer.class.getName(), "run", "FirstToArmTest.java", 3);
    private static final StackTraceElement[] STACK = {SUM, LOOP, RUN,
            new StackTraceElement("java.lang.Thread", "run", "Thread.java", 4)};

    @BeforeAll
    static void selectTheClasses() throws ClassNotFoundException {
        Class.forName(KillPoint.class.getName(), true, KillPoint.class.getClassLoader()); // what armed switches call
        for (Class<?> c : new Class<?>[] {Outer.class, Inner.class, Solo.class}) {
            InstrumentedClasses.register(c.getName(), false, false, new int[KillPointKind.values().length], 0);
        }
    }

    @Test
    void theInnermostMethodWhenNoOtherThreadRunsAny() {
        MethodSwitch sum = SwitchRegistry.forMethod(Inner.class, "sum");
        MethodSwitch loop = SwitchRegistry.forMethod(Outer.class, "loop");
        MethodSwitch run = SwitchRegistry.forMethod(Outer.class, "run");
        try {
            assertEquals(SUM, WhatToArm.firstToArm(STACK, Set.of(), 10 * MS));

            shared(sum, 10 * MS);
            assertEquals(LOOP, WhatToArm.firstToArm(STACK, Set.of(), 20 * MS), "its caller, if others run it");

            shared(loop, 20 * MS);
            shared(run, 20 * MS);
            assertEquals(RUN, WhatToArm.firstToArm(STACK, Set.of(), 30 * MS), "the outermost, if others run them all");

            sum.arm(40 * MS);
            assertEquals(RUN, WhatToArm.firstToArm(STACK, Set.of(), 40 * MS),
                    "not an inner method others run, even armed already: it would stay armed, at the cost of their inner loop");
            run.arm(40 * MS);
            assertEquals(RUN, WhatToArm.firstToArm(STACK, Set.of(), 40 * MS), "the outermost, armed already: no new cost");
        } finally {
            for (MethodSwitch s : new MethodSwitch[] {sum, loop, run}) {
                s.release(50 * MS);
                s.release(50 * MS);
            }
        }
    }

    @Test
    void aMethodArmedAlreadyThatNoOtherThreadRunsCostsNothing() {
        StackTraceElement work = new StackTraceElement(Solo.class.getName(), "work", "FirstToArmTest.java", 5);
        StackTraceElement main = new StackTraceElement(Solo.class.getName(), "main", "FirstToArmTest.java", 6);
        MethodSwitch armed = SwitchRegistry.forMethod(Solo.class, "main");
        try {
            armed.arm(60 * MS);
            assertEquals(main, WhatToArm.firstToArm(new StackTraceElement[] {work, main}, Set.of(), 60 * MS),
                    "rather than deoptimise the innermost");
        } finally {
            armed.release(70 * MS);
        }
    }

    /** Another thread passes its kill points while a kill is pending: it counts as shared from then on, for a while. */
    private static void shared(MethodSwitch s, long now) {
        s.arm(now - MS);
        for (int i = 0; i < 64; i++) {
            s.bystanderPassed();
        }
        s.release(now);
    }
}
