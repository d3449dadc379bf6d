package dev.killswitch.runtime.delivery;

import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.MethodSwitch;
import dev.killswitch.runtime.registry.SwitchRegistry;

import java.util.List;
import java.util.Set;

/**
 * What the deliverer reads from a sample of a victim's stack to decide which switches to arm: the work the kill is
 * aimed at, whether the victim is inside a kill point's check already, and the one method to arm first, the one whose
 * arming costs other threads least.
 */
final class WhatToArm {
    private WhatToArm() {
    }

    /**
     * True if the selected frame at {@code selected} is at one of its kill points, inside the check (the runtime's
     * frames above it, reached through method handles): an armed switch, or a check at the end of a block, found the
     * kill already. It is not running other code, whose class a kill should arm.
     */
    static boolean atItsKillPoint(StackTraceElement[] frames, int selected) {
        for (int i = selected - 1; i >= 0; i--) {
            String c = frames[i].getClassName();
            if (c.startsWith("dev.killswitch.")) {
                return true;
            }
            if (!c.startsWith("java.lang.invoke.")) {
                return false;
            }
        }
        return false;
    }

    /**
     * The one frame whose method a kill arms first when the victim runs selected code: the outermost whose method is
     * armed already (for another kill, or lingering after one), which costs nothing; else the innermost selected
     * frame, unless other threads were seen running its method lately, whose code arming would deoptimise and whose
     * loops would pay the test (the innermost method is often the tightest loop, and its caller is reached as soon as
     * it returns); then the innermost of the others, and if all are shared, the outermost (the outer loops, passed
     * least often). If the kill has not landed by the next sample, every selected method on the stack is armed.
     * Frames of code from before their class was instrumented are only ever armed on their own: the innermost frame
     * is then the one.
     */
    static StackTraceElement firstToArm(StackTraceElement[] frames, Set<String> onDemand, long now) {
        StackTraceElement innermost = null;
        StackTraceElement unshared = null;
        StackTraceElement outermost = null;
        StackTraceElement outermostArmed = null;
        for (StackTraceElement frame : frames) {
            String className = frame.getClassName();
            if (!InstrumentedClasses.contains(className)) {
                continue;
            }
            if (Diagnosis.predatesAttach(frame) || onDemand.contains(className)) {
                if (innermost == null) {
                    return frame;
                }
                continue;
            }
            List<MethodSwitch> switches = SwitchRegistry.forFrame(frame);
            if (innermost == null) {
                innermost = frame;
            }
            boolean armed = !switches.isEmpty();
            boolean shared = false;
            for (MethodSwitch s : switches) {
                armed &= s.isArmedNow();
                shared |= s.isShared(now);
            }
            if (armed) {
                outermostArmed = frame;
            }
            if (unshared == null && !shared) {
                unshared = frame;
            }
            outermost = frame;
        }
        return outermostArmed != null ? outermostArmed : unshared != null ? unshared : outermost != null ? outermost : innermost;
    }

    /**
     * The work a kill is aimed at: the outermost frame of a selected class; with none, the innermost frame of a class
     * instrumented on demand (by this kill or an earlier one), what the thread runs now, not the outermost (a pool's
     * loop, whose next task is other work).
     */
    static StackTraceElement aimFor(StackTraceElement[] frames) {
        StackTraceElement outermostSelected = null;
        StackTraceElement innermostOnDemand = null;
        for (StackTraceElement f : frames) {
            String c = f.getClassName();
            if (!InstrumentedClasses.contains(c)) {
                continue;
            }
            if (!InstrumentedClasses.wasInstrumentedOnDemand(c)) {
                outermostSelected = f;
            } else if (innermostOnDemand == null) {
                innermostOnDemand = f;
            }
        }
        return outermostSelected != null ? outermostSelected : innermostOnDemand;
    }
}
