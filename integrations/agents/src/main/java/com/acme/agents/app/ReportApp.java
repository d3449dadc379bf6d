package com.acme.agents.app;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An application run under several Java agents, driven by commands on standard input:
 * <ul>
 *   <li>{@code WORK count}: sums the first primes in a traced method, which prints {@code @@ WORKED};</li>
 *   <li>{@code SPIN} or {@code SPIN progress}: starts the thread {@code report-job} on a runaway traced method (the
 *   second one records its progress on its span); it prints {@code @@ SPINNING};</li>
 *   <li>{@code KILL}: kills that thread through the public API and waits for it to end; prints {@code @@ KILLED};</li>
 *   <li>{@code EXIT}: exits normally, so that the agents' shutdown hooks run (JaCoCo writes its file, the
 *   OpenTelemetry agent flushes its spans).</li>
 * </ul>
 * Prints {@code @@ READY} with the time from the JVM's start to {@code main}, which is what the agents' start-up costs.
 */
public final class ReportApp {
    private static Thread job;

    private ReportApp() {
    }

    public static void main(String[] args) throws Exception {
        long startup = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        Report.line("READY", "startupMs", Long.toString(startup), "killswitch", Boolean.toString(Killswitch.isActive()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = in.readLine()) != null; ) {
            String[] words = command.trim().split(" ");
            switch (words[0]) {
                case "WORK":
                    ReportJob.sumOfPrimes(Integer.parseInt(words[1]));
                    break;
                case "SPIN":
                    job = new Thread(words.length > 1 && words[1].equals("progress") ? ReportJob::runawayWithProgress
                            : ReportJob::runaway, "report-job");
                    job.setUncaughtExceptionHandler((t, e) -> Report.line("DIED", "thread", t.getName(),
                            "error", e.getClass().getName(), "message", String.valueOf(e.getMessage())));
                    job.start();
                    break;
                case "KILL":
                    kill();
                    break;
                case "EXIT":
                    Report.line("BYE");
                    System.exit(0);
                    break;
                default:
                    Report.line("UNKNOWN", "command", command);
            }
        }
    }

    private static void kill() throws InterruptedException {
        long start = System.nanoTime();
        KillHandle handle = Killswitch.kill(job, "report job exceeded its budget");
        // A refused kill (no agent) leaves the thread running: there is nothing to wait for.
        boolean ended = !handle.status().isRefused() && handle.awaitThreadEnd(Duration.ofSeconds(30));
        long micros = (System.nanoTime() - start) / 1000;
        Report.line("KILLED", "status", handle.status().name(), "ended", Boolean.toString(ended),
                "alive", Boolean.toString(job.isAlive()), "killToDeadMicros", Long.toString(micros),
                "deliveredAfterMicros", handle.deliveryLatency().map(d -> Long.toString(d.toNanos() / 1000)).orElse("-"),
                "at", handle.deliveredAt().map(StackTraceElement::toString).orElse("-"),
                "onDemand", String.join(",", handle.instrumentedOnDemand()),
                "describe", handle.describe().replace('\t', ' ').replace('\n', ' '));
    }
}
