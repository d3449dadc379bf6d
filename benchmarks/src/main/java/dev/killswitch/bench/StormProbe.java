package dev.killswitch.bench;

import com.acme.kernels.Spinners;
import dev.killswitch.Killswitch;

import java.time.Duration;
import java.util.List;
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
        ProbeArgs read = new ProbeArgs("storm probe", "StormProbe RATE SECONDS same|other kill|stop [WARM-UP_SECONDS]", args);
        read.noMoreThan(5);
        int rate = read.positive(0, "the rate, in kills a second,");
        int seconds = read.positive(1, "the number of seconds to measure");
        boolean sameMethod = read.oneOf(2, "the victims' method", List.of("same", "other")).equals("same");
        boolean kill = read.oneOf(3, "how the victims end", List.of("kill", "stop")).equals("kill");
        int warmUpSeconds = read.count(4, "the number of seconds of warm-up", 3);

        Spinners.Progress bystander = new Spinners.Progress();
        Thread b = new Thread(() -> Spinners.hotLoop(bystander), "bystander");
        b.setDaemon(true);
        b.start();

        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmUpSeconds);
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
