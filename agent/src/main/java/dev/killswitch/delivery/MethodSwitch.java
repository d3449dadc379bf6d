package dev.killswitch.delivery;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * The switch behind every kill point of one method. Idle, its target is an empty method handle that
 * the JIT inlines to nothing; armed, its target is {@link KillPoint#check}. Flipping it deoptimises
 * only the compiled code that contains this method, so a kill costs nothing to threads running other
 * code.
 */
final class MethodSwitch {
    static final MethodHandle IDLE = MethodHandles.empty(MethodType.methodType(void.class));
    static final MethodHandle ARMED;

    static {
        try {
            ARMED = MethodHandles.lookup().findStatic(KillPoint.class, "check", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String className;
    final String methodName;
    final String descriptor;
    final MutableCallSite site = new MutableCallSite(IDLE);
    final MethodHandle invoker = site.dynamicInvoker();

    /** How many pending kills want this switch armed. Touched by the deliverer thread only. */
    private int armCount;

    MethodSwitch(String className, String methodName, String descriptor) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
    }

    /** Deliverer thread only. May block while the JVM deoptimises dependent code. */
    void arm() {
        if (armCount++ == 0) {
            site.setTarget(ARMED);
        }
    }

    /** Deliverer thread only. */
    void disarm() {
        if (armCount > 0 && --armCount == 0) {
            site.setTarget(IDLE);
        }
    }

    boolean isArmed() {
        return site.getTarget() == ARMED;
    }

    @Override
    public String toString() {
        return className + "." + methodName + descriptor;
    }
}
