package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;
import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.ondemand.OnDemand;

import java.util.List;

/** A kill request in one line for people: what happened, or, while it is pending, where it stands and why. */
final class KillText {
    private KillText() {
    }

    static String describe(KillRequest r) {
        String who = r.label();
        switch (r.status()) {
            case DELIVERED:
                StackTraceElement at = r.deliveredFrame();
                List<String> onDemand = r.instrumentedOnDemand();
                return "kill of " + who + " delivered after " + ThreadLabels.millis(r.latencyNanos())
                        + " at " + (at == null ? "an unknown frame" : Diagnosis.frame(at))
                        + (onDemand.isEmpty() ? "" : " (" + OnDemand.note(onDemand) + ")")
                        + (r.hasThreadEnded() ? "; the thread has ended" : "; the thread is still running (unwinding, or it caught the error)");
            case THREAD_ENDED:
                return "kill of " + who + " not delivered: the thread ended before it reached a kill point";
            case ALREADY_BEING_KILLED:
                KillHandle with = r.pendingKill().orElse(null);
                return "kill of " + who + " coalesced with the kill already "
                        + (with != null && with.isDelivered() ? "unwinding it" : "pending") + (with == null ? "" : ": " + with.describe());
            case NOT_IN_SELECTED_CODE:
            case CANCELLED:
                return "kill of " + who + " not delivered: " + r.endedBecause();
            default:
                return "kill of " + who + (r.isEscalated() ? " (escalated)" : "") + " pending for "
                        + ThreadLabels.millis(System.nanoTime() - r.requestedNanos()) + "; " + whereNow(r);
        }
    }

    /** What a pending kill waits for, with whether escalating would help; null if it waits for nothing of that kind. */
    static String waitingFor(KillRequest r) {
        Waiting waits = r.waitsFor;
        return waits == null ? null : waits.describe(r.isEscalated());
    }

    private static String whereNow(KillRequest r) {
        String waits = waitingFor(r);
        if (waits != null) {
            return waits;
        }
        StackTraceElement top = r.lastTopFrame();
        if (r.samples == 0 && top == null) {
            return "its stack has not been sampled yet";
        }
        String blocked = r.obstacle();
        if (blocked != null) {
            return blocked + (top == null ? "" : " (now at " + Diagnosis.frame(top) + ")");
        }
        return Diagnosis.ofStack(r.lastStack(), r.thread().getState());
    }
}
