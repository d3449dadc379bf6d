package dev.killswitch.runtime.delivery;

import dev.killswitch.runtime.AgentOnly;
import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.registry.CleanupRegions;

import java.util.function.Function;

/**
 * How the deliverer ends the wait of a victim whose switches are armed, so that the woken thread meets them: an
 * interrupt, and for waits that ignore interrupts, closing what it waits on. The arming itself is {@link SwitchArmer}'s.
 */
final class WaitEnder {
    /** What ends the waits that ignore interrupts (a socket read, an accept); null if none. */
    private static volatile Function<Thread, String> waitCloser;

    private WaitEnder() {
    }

    /**
     * Set when the runtime starts, so that this core does not depend on the blocking calls' room: ends the waits
     * that ignore interrupts by closing what the victim waits on, and says what it closed (null if nothing).
     */
    static void closeWaitsWith(Function<Thread, String> closer) {
        waitCloser = closer;
    }

    /** Waiting, timed waiting, or in native code (a channel read, a select): what an interrupt ends. */
    static boolean isWaiting(Thread t, StackTraceElement[] frames) {
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                || state == Thread.State.RUNNABLE && frames.length > 0 && frames[0].isNativeMethod();
    }

    /**
     * Ends the wait of a victim, once its kill's switches are armed. Only after a fresh look at its stack, since
     * arming may have taken a while: not if the thread left the work the kill is aimed at (the kill then ends), not
     * while it runs cleanup code the sample can see (a source line that holds cleanup code only), nor while it may
     * be unwinding from another kill, unless escalated; nor inside a static initialiser (unless escalated) or a class
     * file transformer, which the wake-up would break.
     */
    static void wake(KillRequest request, Thread victim) {
        StackTraceElement[] now = StackSamples.whole(victim);
        if (now.length == 0 || !isWaiting(victim, now)) {
            return;
        }
        StackTraceElement aim = request.aimedAt;
        if (aim != null && !Diagnosis.runs(now, aim.getClassName(), aim.getMethodName())) {
            request.workEnded(aim);
            return;
        }
        boolean escalated = request.isEscalated();
        if (!escalated && (CleanupRegions.onCleanupLine(now) || Unwinding.mayBeUnwinding(victim, now))) {
            return; // the wait of cleanup code is left alone; the kill lands where the cleanup ends
        }
        if (DelicateFrames.mustNotBeWoken(now, escalated, request.reason().startsWith(Landing.CALL_WITH_DEADLINE))) {
            return; // a wait in a static initialiser or a transformer is left alone too; the kill lands after it
        }
        request.interruptThread(true);
        Function<Thread, String> closer = waitCloser;
        if (!request.socketClosed && closer != null) {
            String closed = closer.apply(victim); // waits that ignore interrupts
            if (closed != null) {
                request.socketClosed = true;
                request.obstacle(closed);
            }
        }
    }
}
