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
     * The one frame whose method a kill arms first when the victim runs selected code. In order: the outermost whose
     * method is armed already (for another kill, or lingering after one) and that other threads were not seen running
     * lately, which costs nothing; the outermost selected frame if its method is armed already (other threads pay its
     * test at most once per pass of the outer loop); the innermost selected frame whose method others were not seen
     * running, whose arming deoptimises no one else's code (the innermost is where the victim is, so the kill lands
     * soonest there; its caller is reached as soon as it returns); and if others run them all, the outermost (its
     * loops are passed least often). So when kills keep coming to code that others run too, they settle on its
     * outermost selected method and stay out of inner loops, even one armed first by an earlier kill. If the kill has
     * not landed by the next sample, every selected method on the stack is armed. Frames of code from before their
     * class was instrumented are only ever armed on their own: the innermost frame is then the one.
     */
    static StackTraceElement firstToArm(StackTraceElement[] frames, Set<String> onDemand, long now) {
        StackTraceElement innermost = null;
        StackTraceElement unshared = null;
        StackTraceElement outermost = null;
        boolean outermostArmed = false;
        StackTraceElement armedUnshared = null;
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
            if (armed && !shared) {
                armedUnshared = frame;
            }
            if (unshared == null && !shared) {
                unshared = frame;
            }
            outermost = frame;
            outermostArmed = armed;
        }
        if (armedUnshared != null) {
            return armedUnshared;
        }
        if (outermostArmed) {
            return outermost;
        }
        return unshared != null ? unshared : outermost != null ? outermost : innermost;
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
