package dev.killswitch.control;

import dev.killswitch.KillHandle;
import dev.killswitch.runtime.delivery.KillOutcomes;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.diagnosis.Diagnosis;
import jdk.jfr.FlightRecorder;

import java.io.PrintStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Turns each settled kill into a {@link KillEvent} for the flight recorder. The thread that settles kills must
 * never wait, and the first event of a JVM loads and registers its class, so events are made on a thread of their
 * own, and only once the flight recorder has started in this JVM: until then a kill costs one check more. Where
 * the JDK has no flight recorder (a runtime image without {@code jdk.jfr}), nothing is installed.
 */
public final class KillEvents implements KillOutcomes {
    /** Made at the first event, not at start-up. */
    private ThreadPoolExecutor recorder;

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
    public void settled(KillHandle kill, String requester) {
        if (FlightRecorder.isInitialized()) { // no recording has started in this JVM: nothing to record
            recorder().execute(new Record(kill, requester));
        }
    }

    private synchronized ThreadPoolExecutor recorder() {
        if (recorder == null) {
            recorder = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), new DaemonThreads("killswitch-events"),
                    new ThreadPoolExecutor.DiscardPolicy()); // a flood of kills loses events beyond 10,000, never delays a kill
        }
        return recorder;
    }

    /** One kill, recorded. */
    private static final class Record implements Runnable {
        private final KillHandle kill;
        private final String requester;

        Record(KillHandle kill, String requester) {
            this.kill = kill;
            this.requester = requester;
        }

        @Override
        @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
        public void run() {
            KillEvent event = new KillEvent();
            if (!event.shouldCommit()) {
                return;
            }
            event.threadId = kill.thread().getId();
            event.threadName = kill.threadName();
            event.reason = kill.reason();
            event.requester = requester;
            event.outcome = kill.status().name();
            event.landedAt = kill.deliveredAt().map(Diagnosis::frame).orElse("");
            event.latency = kill.deliveryLatency().map(d -> d.toNanos()).orElse(0L);
            event.description = kill.describe();
            event.commit();
        }
    }
}
