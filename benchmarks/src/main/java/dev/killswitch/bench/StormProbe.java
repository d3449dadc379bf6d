package dev.killswitch.bench;

import com.acme.kernels.Spinners;
import dev.killswitch.Killswitch;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs in a child JVM with the agent: a bystander spins in instrumented code while victims are
 * started and ended at a fixed rate, by a kill or (the baseline) by a cooperative stop, so that the
 * CPU load is the same and only the way victims end differs. Prints the bystander's throughput.
 * Arguments: kills per second, seconds to measure, victim (same: the bystander's own method; other),
 * end (kill or stop), and optionally seconds of warm-up at that rate before the measurement (3 by default).
 */
public final class StormProbe {
    private StormProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        boolean sameMethod = args[2].equals("same");
        boolean kill = args[3].equals("kill");

        Spinners.Progress bystander = new Spinners.Progress();
        Thread b = new Thread(() -> Spinners.hotLoop(bystander), "bystander");
        b.setDaemon(true);
        b.start();

        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.length > 4 ? Integer.parseInt(args[4]) : 3);
        long measureEnd = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        long next = System.nanoTime();
        long startCount = -1;
        long endCount = -1;
        int ended = 0;
        while (System.nanoTime() < measureEnd) {
            Spinners.Progress p = new Spinners.Progress();
            Thread victim = new Thread(() -> {
                try {
                    if (sameMethod) {
                        Spinners.hotLoop(p);
                    } else {
                        Spinners.otherHotLoop(p);
                    }
                } catch (Error killed) {
                    // expected
                }
            }, "victim");
            victim.setDaemon(true);
            victim.start();
            next += interval;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            if (startCount < 0 && System.nanoTime() >= warmupEnd) {
                startCount = bystander.count;
            }
            while (p.count == 0 && victim.isAlive()) {
                // A victim not yet in selected code would not be killed (nothing is done to a thread that runs
                // none), and would then spin on beside the bystander: end each victim once it runs its loop.
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
            if (kill) {
                Killswitch.kill(victim, "storm").awaitDelivery(Duration.ofSeconds(5));
            } else {
                p.stop = true;
            }
            victim.join(5000);
            ended++;
        }
        endCount = bystander.count;
        double opsPerSecond = (endCount - startCount) / (double) seconds;
        System.out.println(String.format(Locale.ROOT, "RESULT\trate=%d\tvictim=%s\tend=%s\tbystanderOpsPerSec=%.0f\tended=%d",
                rate, args[2], args[3], opsPerSecond, ended));
        System.exit(0);
    }
}
