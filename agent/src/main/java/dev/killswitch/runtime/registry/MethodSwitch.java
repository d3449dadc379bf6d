package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.AgentOnly;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * The switch behind every kill point of one method (of all methods of that name in its class: stack
 * frames, by which kills are armed, carry no descriptor). Idle, its target is an empty method handle
 * that the JIT inlines to nothing; armed, its target is {@code KillPoint.check}, which the kill points' room
 * hands over when it loads ({@link #armedTargetsAre}). A conditional kill point
 * (before a conditional backward jump) has a call site of its own type, which takes a copy of the jump's
 * operands; the switch keeps one per type the method uses and flips them together. Flipping it
 * deoptimises only the compiled code that contains this method, so a kill costs nothing to threads
 * running other code.
 *
 * <p>When to flip back. Each flip deoptimises the method, for every thread that runs it, and the JIT must
 * recompile it; armed, the method pays a read and a test at each kill point. So a switch is disarmed as soon
 * as no kill needs it (the usual case), unless kills keep coming to it: then it stays armed a while after each
 * release, since recompiling twice per kill costs the threads that share the method far more than the test
 * (a fifth of their throughput at 10 kills a second, four fifths at 100). Which switch a kill arms first
 * keeps that test out of the tightest loops where it can ({@link #isShared}, and the deliverer's choice).
 */
public final class MethodSwitch {
    static final MethodHandle IDLE = MethodHandles.empty(MethodType.methodType(void.class));
    /** Armed targets of the conditional kill points, one per operand shape (see KillPoint.checkIf). */
    public static final MethodType[] CONDITIONAL_TYPES = {
            MethodType.methodType(void.class, int.class, int.class),
            MethodType.methodType(void.class, int.class, int.class, int.class),
            MethodType.methodType(void.class, Object.class, int.class),
            MethodType.methodType(void.class, Object.class, Object.class, int.class),
            MethodType.methodType(void.class, int.class, String.class)};
    @JitConstant
    static final MethodHandle[] CONDITIONAL_IDLE = new MethodHandle[CONDITIONAL_TYPES.length];
    /** What an armed switch calls, given by the kill points' room: it takes the switch. */
    private static volatile MethodHandle check;
    /** The same for each of {@link #CONDITIONAL_TYPES}: the switch, then the jump's operands. */
    private static volatile MethodHandle[] conditionalChecks;
    /** Re-armed within this time of its last release, a switch is busy: kills keep coming to it. */
    static final long BUSY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A lingering switch stays armed this long after its last release. */
    public static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Passes of armed kill points by threads with no kill pending, beyond which others run this method. */
    static final int BYSTANDER_LIMIT = 64;
    /** Once other threads were seen running it, a switch counts as shared for this long. */
    static final long SHARED_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(10);

    static {
        for (int i = 0; i < CONDITIONAL_TYPES.length; i++) {
            CONDITIONAL_IDLE[i] = MethodHandles.empty(CONDITIONAL_TYPES[i]);
        }
    }

    final String className;
    final String methodName;
    /** The plain kill points' call site, the object {@link SwitchNumbers#SITES} holds for numbered ones; set once. */
    @JitConstant
    public final MutableCallSite site = new MutableCallSite(IDLE);
    /** What the plain site calls while armed; made at the first arming. */
    private MethodHandle armedTarget;
    /** The call sites of conditional kill points by operand shape, made when a method first links one. */
    @JitConstant
    private final MutableCallSite[] conditional = new MutableCallSite[CONDITIONAL_TYPES.length];
    private final MethodHandle[] conditionalArmed = new MethodHandle[CONDITIONAL_TYPES.length];

    /**
     * Written by armed kill points in threads that are not being killed, since the last arming or landing: the id of
     * the first such thread and its passes, and the passes of all others. Hints, so races do not matter; each count
     * stops at {@link #BYSTANDER_LIMIT} and is then only read, never written at every pass (two threads taking turns
     * would bounce the line).
     */
    private long firstPasser;
    private int firstPasses;
    private int otherPasses;

    // Touched by the deliverer thread only.
    /** How many pending kills want this switch armed. */
    private int armCount;
    /** Written by the deliverer under this switch's lock; read when a conditional site is made. */
    private boolean armed;
    private long releasedAt = Long.MIN_VALUE / 2;
    private boolean busy;
    /** Since it was last armed: whether some kill chose it to arm first knowing that other threads run it. */
    private boolean chosenKnowingShared;
    /** When other threads were last seen running this method: while a kill was pending, or since the last landing. */
    private long sharedSeenAt = Long.MIN_VALUE / 2;
    /** While released but lingering: when to disarm. */
    public long disarmAt;

    /**
     * What armed switches call, handed over by the kill points' room when it loads, so that this registry does
     * not depend on it: {@code check} takes the switch; {@code conditional} take the switch, then the operands of
     * each of {@link #CONDITIONAL_TYPES} in turn. Runtime only.
     */
    public static void armedTargetsAre(MethodHandle check, MethodHandle[] conditional) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "change what kill points do");
        if (!check.type().equals(MethodType.methodType(void.class, MethodSwitch.class)) || conditional.length != CONDITIONAL_TYPES.length) {
            throw new IllegalArgumentException("not the kill points' checks: " + check.type());
        }
        for (int i = 0; i < conditional.length; i++) {
            if (!conditional[i].type().equals(CONDITIONAL_TYPES[i].insertParameterTypes(0, MethodSwitch.class))) {
                throw new IllegalArgumentException("not a conditional check: " + conditional[i].type());
            }
        }
        conditionalChecks = conditional.clone();
        MethodSwitch.check = check;
    }

    private static <T> T loaded(T checks) {
        if (checks == null) {
            throw new IllegalStateException("the kill points' checks are not loaded yet (RuntimeStart loads them)");
        }
        return checks;
    }

    public MethodSwitch(String className, String methodName) {
        this.className = className;
        this.methodName = methodName;
    }

    /** The call site for a kill point of this type: {@code ()V}, or one of the conditional shapes. */
    public CallSite site(MethodType type) {
        if (type.parameterCount() == 0) {
            return site;
        }
        for (int i = 0; i < CONDITIONAL_TYPES.length; i++) {
            if (CONDITIONAL_TYPES[i].equals(type)) {
                return conditionalSite(i);
            }
        }
        throw new IllegalArgumentException("not a kill-point type: " + type);
    }

    /** What the plain site calls while armed, or null while it is idle. */
    public MethodHandle armedTarget() {
        MethodHandle t = site.getTarget();
        return t == IDLE ? null : t;
    }

    /** The same for the conditional site of shape {@code shape}. */
    public MethodHandle armedTarget(int shape) {
        MethodHandle t = conditionalSite(shape).getTarget();
        return t == CONDITIONAL_IDLE[shape] ? null : t;
    }

    /** The call site of the conditional kill points of shape {@code shape}, an index into {@link #CONDITIONAL_TYPES}. */
    public MutableCallSite conditionalSite(int shape) {
        MutableCallSite made = conditional[shape];
        return made != null ? made : makeConditionalSite(shape);
    }

    @JitOutOfLine
    private synchronized MutableCallSite makeConditionalSite(int shape) { // against arm and disarm: a site made while armed starts armed
        if (conditional[shape] == null) {
            conditionalArmed[shape] = MethodHandles.insertArguments(loaded(conditionalChecks)[shape], 0, this);
            MutableCallSite made = new MutableCallSite(armed ? conditionalArmed[shape] : CONDITIONAL_IDLE[shape]);
            VarHandle.storeStoreFence(); // read without the lock: the site is whole before it can be seen
            conditional[shape] = made;
        }
        return conditional[shape];
    }

    /** Called at an armed kill point by a thread that has no kill pending. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    public void bystanderPassed() {
        long id = Thread.currentThread().getId();
        long first = firstPasser;
        if (first == 0) {
            firstPasser = id;
            first = id;
        }
        if (first == id) {
            if (firstPasses < BYSTANDER_LIMIT) {
                firstPasses++;
            }
        } else if (otherPasses < BYSTANDER_LIMIT) {
            otherPasses++;
        }
    }

    /** A pending kill needs this switch. May block while the JVM deoptimises dependent code. */
    public void arm(long now) {
        arm(now, false);
    }

    /**
     * A pending kill needs this switch, the one it chose to arm first (see the deliverer). Chosen knowing that other
     * threads run it (they run every selected method on the victim's stack, and this is the outermost, whose test
     * they pass least often), it lingers all the same when kills keep coming. Chosen before they were seen running
     * it, or armed only because the kill took long to land, it does not once they are: an inner loop's test, at every
     * pass, costs them more than recompiling, and the next kill chooses knowing.
     */
    public void armFirst(long now) {
        arm(now, true);
    }

    private void arm(long now, boolean first) {
        boolean knowingShared = first && isShared(now);
        chosenKnowingShared |= knowingShared;
        if (armCount++ == 0) {
            chosenKnowingShared = knowingShared;
            busy = now - releasedAt < BUSY_WINDOW_NANOS;
            // Count bystanders from now until the release: while this kill is pending its victim delivers
            // rather than counts, so any pass is another thread running this method. (Passes while it
            // lingered came from threads not yet killed, which may be the next victims: a landing tells
            // the victim's own passes from the others'.)
            forgetPassers();
            if (!armed) {
                flip(true);
            }
        }
    }

    /**
     * A pending kill no longer needs this switch.
     *
     * @return true if the switch stays armed for a while and {@link #disarmIfDue} must be called later
     */
    public boolean release(long now) {
        if (armCount == 0 || --armCount > 0) {
            return false;
        }
        releasedAt = now;
        if (firstPasses + otherPasses >= BYSTANDER_LIMIT) { // neither count stops before the sum reaches it
            sharedSeenAt = now;
        }
        if (busy && (chosenKnowingShared || !isShared(now))) {
            disarmAt = now + LINGER_NANOS;
            return true;
        }
        disarm();
        return false;
    }

    /**
     * A kill of thread {@code victimId} landed at one of this switch's kill points while it lingered, before the
     * delivering thread armed anything for it (the victim met the armed kill point first): a kill came to it as much
     * as one that armed it, so it lingers on as if armed and released now. Without this, kills that keep coming every
     * few hundred milliseconds found it disarmed once a second and flipped it twice, recompiling the method each time.
     * But if threads other than the victim passed its kill points {@link #BYSTANDER_LIMIT} times since its last arming
     * or landing, others run it, as at a release: it lingers on only if a kill chose it knowing that (else kills
     * landing there kept an inner loop's test armed in the others' code for as long as they came). Either way the
     * next kill within a second finds it busy.
     */
    public void landedWhileLingering(long now, long victimId) {
        if (armed && armCount == 0) {
            // Passes of the first thread to pass are the victim's own (before its kill) or another's; the rest mix both.
            boolean others = firstPasser == victimId ? otherPasses >= BYSTANDER_LIMIT : firstPasses >= BYSTANDER_LIMIT;
            forgetPassers();
            releasedAt = now;
            if (others) {
                sharedSeenAt = now;
                if (!chosenKnowingShared) {
                    return;
                }
            }
            disarmAt = now + LINGER_NANOS;
        }
    }

    private void forgetPassers() {
        firstPasser = 0;
        firstPasses = 0;
        otherPasses = 0;
    }

    /** @return true once the switch is no longer lingering (disarmed now, or armed again for a kill) */
    public boolean disarmIfDue(long now) {
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
     * True if other threads were seen running this method's armed kill points lately (while a kill was pending, or
     * since the last landing while it lingered):
     * arming it deoptimises their code too, and while armed they pay its test, at every pass of its loops.
     */
    public boolean isShared(long now) {
        return now - sharedSeenAt <= SHARED_MEMORY_NANOS;
    }

    /** True if armed now: for a kill or lingering after one, so that arming it for another costs nothing. */
    public boolean isArmedNow() {
        return armed;
    }

    private void disarm() {
        if (armed) {
            flip(false);
        }
    }

    private synchronized void flip(boolean on) {
        if (on && armedTarget == null) {
            armedTarget = MethodHandles.insertArguments(loaded(check), 0, this);
        }
        armed = on;
        site.setTarget(on ? armedTarget : IDLE);
        for (int i = 0; i < conditional.length; i++) {
            if (conditional[i] != null) {
                conditional[i].setTarget(on ? conditionalArmed[i] : CONDITIONAL_IDLE[i]);
            }
        }
    }

    boolean isArmed() {
        return armedTarget() != null;
    }

    @Override
    public String toString() {
        return className + "." + methodName;
    }
}
