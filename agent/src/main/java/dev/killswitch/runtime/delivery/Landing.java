package dev.killswitch.runtime.delivery;

import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.RuntimePackages;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * In the victim, at a kill point with its kill pending: whether the kill lands here, and the landing.
 * <ul>
 *   <li>Not inside cleanup code: while some frame on the thread's stack runs a catch or finally block
 *       (or a finally copy), the kill waits, unless it was escalated; the block's end delivers it.
 *   <li>Only in the work it was aimed at: if the selected method that was outermost on the thread's stack
 *       when the kill was first looked at is no longer on it, that work has ended, and the kill ends too.
 *   <li>Nothing between the decision and the throw can fail: the error is made first (if there is no
 *       stack or heap left for it here, nothing happens and the next kill point tries again), then the
 *       request is marked delivered with field writes only, then it is thrown.
 * </ul>
 */
public final class Landing {
    /** A kill point or a method exit: every frame on the stack counts; the look is rationed while cleanup runs. */
    static final int AT_KILL_POINT = 0;
    /** Where a catch or finally block ends: the block being left does not make the kill wait. */
    public static final int AT_BLOCK_END = 1;
    /** Where a {@code callWithDeadline} ends: the task the kill was aimed at has just returned, but this is its place. */
    static final int AT_DEADLINE_END = 2;
    /** How the reason of the kill of an overrunning {@code callWithDeadline} starts: that call catches it. */
    public static final String CALL_WITH_DEADLINE = "callWithDeadline: ";
    /** Before or after a blocking wait: always looks, since the thread may wait long after it. */
    public static final int AT_WAIT = 3;

    /** The kill did not land: it must wait for cleanup code on the stack. */
    public static final int WAITS_FOR_CLEANUP = 1;
    /** The kill did not land for another reason: not looked (rationed), no stack left, ended meanwhile. */
    static final int NOT_NOW = 2;
    /**
     * A kill found waiting for cleanup code looks again after this long, then twice as long each time up to
     * {@link #MAX_RECHECK_NANOS}: cleanup runs at full speed, even on a deep stack, where each look is a walk.
     */
    private static final long RECHECK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Landing() {
    }

    /** At a kill point: throws the current thread's pending kill if it may land here. */
    public static boolean atKillPoint() {
        KillRequest mine = PendingKills.mine();
        if (mine == null) {
            return false;
        }
        land(mine, AT_KILL_POINT, null);
        return true;
    }

    /** Before or after a blocking wait: throws the current thread's pending kill if it may land here. */
    public static void atWait() {
        KillRequest mine = PendingKills.mine();
        if (mine != null) {
            land(mine, AT_WAIT, null);
        }
    }

    /** Where {@code callWithDeadline} ends: its kill lands here, unless the caller runs cleanup code. */
    public static void atDeadlineEnd() {
        KillRequest mine = PendingKills.mine();
        if (mine != null) {
            land(mine, AT_DEADLINE_END, null);
        }
    }

    /** Throws the kill if it lands here; returns if it does not (yet). */
    public static int tryLand(KillRequest r, int where) {
        return land(r, where, null);
    }

    /** Where a block throws {@code thrown}: the kill is thrown instead, keeping {@code thrown} as suppressed. */
    public static void tryLandInstead(KillRequest r, Throwable thrown) {
        land(r, AT_BLOCK_END, thrown);
    }

    /**
     * Kept shallow: near the stack limit, every frame this needs is a frame the victim must have given back
     * before its kill can land. The error was made with the request; here it only takes the victim's stack.
     * If trimming the runtime's frames from it runs out of stack, later attempts skip that, and the
     * deliverer trims it once the kill has landed.
     *
     * @return {@link #WAITS_FOR_CLEANUP} or {@link #NOT_NOW}; it throws if the kill lands
     */
    private static int land(KillRequest r, int where, Throwable replaced) {
        r.deciding = ++r.decisions; // from the look at its stack to the landing: the deliverer does not read that stack meanwhile
        try {
            ThreadKilledError error = r.error();
            long now;
            try {
                now = System.nanoTime();
                int verdict = r.isEscalated() ? mayLandEscalated(r, where) : mayLand(r, where, now);
                if (verdict != 0) {
                    return verdict;
                }
                if (r.lowStack) {
                    error.fillInStackTrace();
                } else {
                    try {
                        error.fillInStackTrace();
                        error.setStackTrace(withoutRuntimeFrames(error.getStackTrace()));
                    } catch (VirtualMachineError e) {
                        r.lowStack = true; // from now on the least stack it can; the next kill point tries again
                        return NOT_NOW;
                    }
                    r.trimmed = true;
                    SwitchArmer.wake(); // for the bookkeeping, once it has landed
                }
            } catch (Throwable t) {
                return NOT_NOW; // no stack or heap left here for the kill: nothing happened, the next kill point tries again
            }
            boolean landed;
            try {
                landed = r.commit(System.nanoTime()); // its latency counts the walk of its stack, which a deep one makes long
            } catch (Throwable t) {
                return NOT_NOW; // failed before the decision
            }
            if (landed) {
                if (replaced != null) {
                    try {
                        error.addSuppressed(replaced);
                    } catch (Throwable ignored) {
                        // decided already: the kill goes, without what it replaced
                    }
                }
                throw error;
            }
            return NOT_NOW;
        } finally {
            r.deciding = 0;
        }
    }

    /**
     * 0 if the kill may land here: not inside cleanup code, and still in the work it was aimed at. Walks the
     * stack: may run out of it.
     */
    private static int mayLand(KillRequest r, int where, long now) {
        if (where == AT_KILL_POINT && now - r.recheckAt < 0) {
            return NOT_NOW; // the ends of blocks and waits always look: they are where a waiting kill lands
        }
        StackTraceElement aim = r.aimedAt; // once: the deliverer may set it meanwhile
        VictimStack stack = aim == null ? VictimStack.look(where == AT_BLOCK_END ? 1 : 0, null, null)
                : VictimStack.look(where == AT_BLOCK_END ? 1 : 0, aim.getClassName(), aim.getMethodName());
        if (stack.transformer() != null) {
            return waitsForTransformer(r, stack.transformer()); // first: there, escalating changes nothing
        }
        if (stack.cleanup != null) {
            r.waitsFor = new Waiting("it is running cleanup code at " + stack.cleanup + " (a catch or finally block, or code it"
                    + " calls), as of its last kill point: the kill lands when that code has run", "escalate to kill it there");
            return backOff(r);
        }
        if (stack.catcher != null) {
            return waitsForCatcher(r, stack.catcher);
        }
        String initialiser = stack.initialiser(r.reason().startsWith(CALL_WITH_DEADLINE));
        if (initialiser != null) {
            r.waitsFor = new Waiting("it is running a static initialiser, " + initialiser + " (or code it calls): a class"
                    + " whose initialiser fails is unusable for the life of the JVM, in every thread, so the kill lands once the"
                    + " initialiser has finished, as of its last kill point",
                    "escalating kills it there, and leaves that class unusable for every thread");
            return backOff(r);
        }
        r.leftCleanup();
        if (aim != null && !stack.anchorFound && where != AT_DEADLINE_END) {
            missed(r, aim);
            return NOT_NOW;
        }
        return 0;
    }

    /**
     * Below a frame of code from before its class was instrumented whose handler would catch the kill and go on: that
     * code cannot raise it again, so the kill would be swallowed for good. It waits, escalated or not, like a kill
     * waiting for cleanup code, and lands once that frame has left the try block.
     */
    private static int waitsForCatcher(KillRequest r, String catcher) {
        r.waitsFor = new Waiting("it is running " + catcher + ", code from before its class was instrumented, where a catch"
                + " block would catch the kill and go on (that code cannot raise it again): the kill lands once that frame has"
                + " left the try block, as of its last kill point; escalating does not change this", null);
        return backOff(r);
    }

    /**
     * Inside a class file transformer (another agent's work while a class loads): the JVM drops whatever a transformer
     * throws, so the kill would cut that work short and be lost, the thread running on. It waits, escalated or not,
     * and lands once the transformer has returned.
     */
    private static int waitsForTransformer(KillRequest r, String transformer) {
        r.waitsFor = new Waiting("it is inside a class file transformer, " + transformer + ", while a class loads: the JVM"
                + " drops whatever a transformer throws, so the kill lands once the transformer has returned, as of its last"
                + " kill point; escalating does not change this", null);
        return backOff(r);
    }

    /** A kill that waits looks again later, each time twice as late up to a bound. */
    private static int backOff(KillRequest r) {
        r.recheckWait = Math.min(MAX_RECHECK_NANOS, Math.max(RECHECK_NANOS, r.recheckWait * 2));
        r.recheckAt = System.nanoTime() + r.recheckWait;
        return WAITS_FOR_CLEANUP;
    }

    /**
     * An escalated kill lands even in cleanup code, but only in its work, and never where old code would swallow it;
     * with no stack left to look, it lands.
     */
    private static int mayLandEscalated(KillRequest r, int where) {
        StackTraceElement aim = r.aimedAt;
        boolean anchored = aim != null && where != AT_DEADLINE_END;
        VictimStack stack;
        try {
            stack = anchored ? VictimStack.look(0, aim.getClassName(), aim.getMethodName()) : VictimStack.look(0, null, null);
        } catch (VirtualMachineError e) {
            return 0; // near the stack limit: it was asked for explicitly, and the thread is in the work it was aimed at, most likely
        }
        if (stack.transformer() != null) {
            return waitsForTransformer(r, stack.transformer());
        }
        if (stack.catcher != null) {
            return waitsForCatcher(r, stack.catcher);
        }
        r.waitsFor = null; // escalated: what it waited for before (cleanup, an initialiser) holds it no longer
        if (anchored && !stack.anchorFound) {
            missed(r, aim);
            return NOT_NOW;
        }
        return 0;
    }

    private static void missed(KillRequest r, StackTraceElement aim) {
        if (r.workEnded(aim) && r.takeOwnInterrupt()) {
            Thread.interrupted(); // its wake-up was for the work that ended
        }
    }

    public static StackTraceElement[] withoutRuntimeFrames(StackTraceElement[] trace) {
        int skip = 0;
        while (skip < trace.length && isRuntimeFrame(trace[skip].getClassName())) {
            skip++;
        }
        return skip == 0 ? trace : Arrays.copyOfRange(trace, skip, trace.length);
    }

    private static boolean isRuntimeFrame(String className) {
        return RuntimePackages.isRuntimeClass(className) || className.startsWith("java.lang.invoke.");
    }
}
