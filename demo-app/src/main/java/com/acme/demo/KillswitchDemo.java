package com.acme.demo;

import com.acme.legacy.ExpressionParser;
import com.acme.legacy.ReportJob;
import com.acme.legacy.RetryingWorker;
import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Starts three runaway threads from {@code com.acme.legacy}, kills each through the public API, and
 * shows where each kill landed, how long it took and that cleanup ran. This class is the operator's
 * side: it is not selected, so it has no kill points.
 */
public final class KillswitchDemo {
    private static final String COMMAND = "java '-javaagent:agent/target/killswitch-agent.jar=include=com.acme.legacy.**'"
            + " -jar demo-app/target/killswitch-demo.jar";

    private KillswitchDemo() {
    }

    public static void main(String[] args) throws Exception {
        if (!agentActive()) {
            System.out.println("The killswitch agent is not running in this JVM, so nothing here can be killed.");
            System.out.println("Start the demo with the agent:\n  " + COMMAND);
            System.exit(2);
        }
        System.out.println("killswitch demo: three runaway threads in com.acme.legacy, killed with Killswitch.kill(thread, reason)");
        System.out.println();

        Thread heartbeat = new Thread(KillswitchDemo::beat, "heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();

        Runaway[] runaways = {
            new Runaway("report-job", "a loop whose row index never moves on (holds the ledger lock)",
                    new ReportJob(), () -> ReportJob.rowsProcessed,
                    "report file closed by finally, ledger lock released",
                    () -> ReportJob.ReportFile.closed && ledgerIsFree()),
            new Runaway("parser", "backtracking recursion that never finishes",
                    () -> new ExpressionParser("(".repeat(60) + "x").parse(), () -> ExpressionParser.attempts,
                    "scratch buffer back in the pool", () -> ExpressionParser.buffersInUse == 0),
            new Runaway("retry-worker", "catch (Exception e) { retry } around Thread.sleep",
                    new RetryingWorker(), () -> RetryingWorker.retries,
                    "connection closed by finally", () -> RetryingWorker.connectionClosed),
        };
        for (Runaway r : runaways) {
            r.start();
            System.out.printf("  started %-13s %s%n", r.name, r.what);
        }
        for (Runaway r : runaways) {
            r.awaitProgress();
        }
        System.out.println("\n  all three are running; killing them one by one:\n");

        int failures = 0;
        for (Runaway r : runaways) {
            failures += r.kill() ? 0 : 1;
        }
        long beats = Heartbeat.beats;
        System.out.printf("%n  the heartbeat thread ticked %d times meanwhile and was never touched.%n", beats);
        if (failures > 0) {
            System.out.println("  " + failures + " kill(s) did not work as expected.");
            System.exit(1);
        }
        System.out.println("  every runaway thread is dead, its cleanup ran, and the JVM carries on. exit 0");
        System.exit(0);
    }

    /** The API classes come from the agent jar: without -javaagent they are not there at all. */
    private static boolean agentActive() {
        try {
            return Killswitch.isActive();
        } catch (NoClassDefFoundError noAgentJar) {
            return false;
        }
    }

    private static boolean ledgerIsFree() {
        boolean[] free = new boolean[1];
        Thread probe = new Thread(() -> {
            synchronized (ReportJob.LEDGER) {
                free[0] = true;
            }
        });
        probe.start();
        try {
            probe.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return free[0];
    }

    private static void beat() {
        while (true) {
            Heartbeat.beats++;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static final class Heartbeat {
        static volatile long beats;
    }

    /** One runaway thread and how to tell that it ran and cleaned up. */
    private static final class Runaway {
        final String name;
        final String what;
        final Thread thread;
        final LongSupplier progress;
        final String cleanup;
        final BooleanSupplier cleanedUp;
        volatile Throwable death;

        Runaway(String name, String what, Runnable body, LongSupplier progress, String cleanup, BooleanSupplier cleanedUp) {
            this.name = name;
            this.what = what;
            this.progress = progress;
            this.cleanup = cleanup;
            this.cleanedUp = cleanedUp;
            this.thread = new Thread(body, name);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> death = e);
        }

        void start() {
            thread.start();
        }

        void awaitProgress() throws InterruptedException {
            long start = progress.getAsLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (progress.getAsLong() < start + 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }

        boolean kill() throws InterruptedException {
            KillHandle handle = Killswitch.kill(thread, "demo: " + name + " runs away");
            boolean delivered = handle.awaitDelivery(Duration.ofSeconds(2));
            thread.join(2000);
            if (!delivered || thread.isAlive()) {
                System.out.printf("  %-13s NOT killed: %s%n", name, handle.describe());
                return false;
            }
            boolean clean = cleanedUp.getAsBoolean();
            System.out.printf(Locale.ROOT, "  %-13s killed in %.2f ms at %s%n", name,
                    handle.deliveryLatency().orElseThrow().toNanos() / 1e6, handle.deliveredAt().orElseThrow());
            System.out.printf("  %-13s died of %s; cleanup: %s: %s%n", "", death == null ? "?" : death.getClass().getSimpleName(),
                    cleanup, clean ? "yes" : "NO");
            return clean;
        }
    }
}
