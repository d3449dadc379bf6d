package dev.killswitch.control;

import dev.killswitch.KillHandle;
import dev.killswitch.runtime.delivery.KillOutcomes;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.diagnosis.Diagnosis;

import java.io.PrintStream;

/**
 * Turns each settled kill into a {@link KillEvent} for the flight recorder. While no recording takes the event,
 * a kill costs one check more; where the JDK has no flight recorder (a runtime image without {@code jdk.jfr}),
 * nothing is installed.
 */
public final class KillEvents implements KillOutcomes {

    private KillEvents() {
    }

    public static void install(PrintStream out) {
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            return;
        }
        try {
            KillRuntime.reportOutcomesTo(new KillEvents());
        } catch (LinkageError e) {
            out.println("killswitch: kills are not recorded as flight-recorder events: " + e.getMessage());
        }
    }

    @Override
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    public void settled(KillHandle kill, String requester) {
        KillEvent event = new KillEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.threadId = kill.thread().getId();
        event.threadName = kill.thread().getName();
        event.reason = kill.reason();
        event.requester = requester;
        event.outcome = kill.status().name();
        event.landedAt = kill.deliveredAt().map(Diagnosis::frame).orElse("");
        event.latency = kill.deliveryLatency().map(d -> d.toNanos()).orElse(0L);
        event.description = kill.describe();
        event.commit();
    }
}
