package dev.killswitch.delivery;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.concurrent.TimeUnit;

/**
 * The switch behind every kill point of one method (of all methods of that name in its class: stack
 * frames, by which kills are armed, carry no descriptor). Idle, its target is an empty method handle
 * that the JIT inlines to nothing; armed, its target is {@link KillPoint#check}. Flipping it
 * deoptimises only the compiled code that contains this method, so a kill costs nothing to threads
 * running other code.
 *
 * <p>When to flip back. Each flip deoptimises the method, and the JIT must recompile it; armed, the
 * method pays an identity check at each kill point. So a switch is disarmed as soon as no kill needs it
 * (the usual case), unless kills keep coming to it: then it stays armed a while after each release, if
 * no other thread was seen running it while recent kills were pending, or whoever runs it, if kills
 * come faster than recompiling can follow.
 */
final class MethodSwitch {
    static final MethodHandle IDLE = MethodHandles.empty(MethodType.methodType(void.class));
    private static final MethodHandle CHECK;
    /** Re-armed within this time of its last release, a switch is busy... */
    static final long BUSY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** ...within this time, very busy: recompiling between kills cannot keep up. */
    static final long VERY_BUSY_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A lingering switch stays armed this long after its last release. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Passes of armed kill points by threads with no kill pending, beyond which others run this method. */
    static final int BYSTANDER_LIMIT = 64;
    /** Once other threads were seen running it, a switch does not linger for this long. */
    static final long SHARED_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(10);

    static {
        try {
            CHECK = MethodHandles.lookup().findStatic(KillPoint.class, "check", MethodType.methodType(void.class, MethodSwitch.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String className;
    final String methodName;
    final MutableCallSite site = new MutableCallSite(IDLE);
    final MethodHandle invoker = site.dynamicInvoker();
    private final MethodHandle armedTarget = MethodHandles.insertArguments(CHECK, 0, this);

    /** Written by armed kill points in threads that are not being killed; a hint, so races do not matter. */
    int bystanderPasses;

    // Touched by the deliverer thread only.
    /** How many pending kills want this switch armed. */
    private int armCount;
    private boolean armed;
    private long releasedAt = Long.MIN_VALUE / 2;
    private boolean busy;
    private boolean veryBusy;
    /** When other threads were last seen running this method while a kill was pending. */
    private long sharedSeenAt = Long.MIN_VALUE / 2;
    /** While released but lingering: when to disarm. */
    long disarmAt;

    MethodSwitch(String className, String methodName) {
        this.className = className;
        this.methodName = methodName;
    }

    /** Called at an armed kill point by a thread that has no kill pending. */
    void bystanderPassed() {
        if (bystanderPasses < BYSTANDER_LIMIT) {
            bystanderPasses++;
        }
    }

    /** A pending kill needs this switch. May block while the JVM deoptimises dependent code. */
    void arm(long now) {
        if (armCount++ == 0) {
            busy = now - releasedAt < BUSY_WINDOW_NANOS;
            veryBusy = now - releasedAt < VERY_BUSY_WINDOW_NANOS;
            // Count bystanders from now until the release: while this kill is pending its victim delivers
            // rather than counts, so any pass is another thread running this method. (Passes while it
            // lingered came from threads not yet killed, which may be the next victims.)
            bystanderPasses = 0;
            if (!armed) {
                armed = true;
                site.setTarget(armedTarget);
            }
        }
    }

    /**
     * A pending kill no longer needs this switch.
     *
     * @return true if the switch stays armed for a while and {@link #disarmIfDue} must be called later
     */
    boolean release(long now) {
        if (armCount == 0 || --armCount > 0) {
            return false;
        }
        releasedAt = now;
        if (bystanderPasses >= BYSTANDER_LIMIT) {
            sharedSeenAt = now;
        }
        if (shouldLinger(now)) {
            disarmAt = now + LINGER_NANOS;
            return true;
        }
        disarm();
        return false;
    }

    /** @return true once the switch is no longer lingering (disarmed now, or armed again for a kill) */
    boolean disarmIfDue(long now) {
        if (armCount > 0) {
            return true;
        }
        if (now - disarmAt >= 0) {
            disarm();
            return true;
        }
        return false;
    }

    /**
     * One armed window without bystanders proves little (they may just not have had a CPU), so one with
     * them keeps the switch from lingering for a while.
     */
    private boolean shouldLinger(long now) {
        return veryBusy || (busy && now - sharedSeenAt > SHARED_MEMORY_NANOS);
    }

    private void disarm() {
        if (armed) {
            armed = false;
            site.setTarget(IDLE);
        }
    }

    boolean isArmed() {
        return site.getTarget() != IDLE;
    }

    @Override
    public String toString() {
        return className + "." + methodName;
    }
}
