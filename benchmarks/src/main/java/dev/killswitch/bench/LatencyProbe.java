package dev.killswitch.bench;

import com.acme.kernels.Spinners;
import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs in a child JVM with the agent: starts a victim, lets it run, kills it, and times from the
 * moment {@code Killswitch.kill} returns to the moment the victim catches the error. Arguments: case
 * (hot, recursion, deep: hot at the bottom of 10,000 frames, longLoop), trials, spacing: {@code isolated} lets each victim run over a second, so
 * that the switches of the previous kill are idle again and each kill must deoptimise the victim's code;
 * {@code succession} kills every 20 to 50 ms, when the switches stay armed between kills; {@code first} has no
 * warm-up kills, so that (with one trial per JVM) it times a JVM's first kill, the agent's kill path not yet compiled.
 * An optional fourth argument has that many more methods compiled before the first victim starts ({@link CompiledCode}).
 */
public final class LatencyProbe {
    private static final int WARMUP_TRIALS = 3;

    private LatencyProbe() {
    }

    public static void main(String[] args) throws Throwable {
        ProbeArgs read = new ProbeArgs("latency probe",
                "LatencyProbe hot|recursion|deep|longLoop TRIALS isolated|succession|first [MORE_METHODS]", args);
        read.noMoreThan(4);
        String kase = read.oneOf(0, "the case", List.of("hot", "recursion", "deep", "longLoop"));
        int trials = read.positive(1, "the number of trials");
        String spacing = read.oneOf(2, "the spacing", List.of("isolated", "succession", "first"));
        CompiledCode.add(read.count(3, "the number of methods to have compiled first", 0));
        boolean isolated = !spacing.equals("succession");
        int warmUps = spacing.equals("first") ? 0 : WARMUP_TRIALS;
        List<Double> latencies = new ArrayList<>();
        List<Double> requestMicros = new ArrayList<>();
        for (int t = 0; t < trials + warmUps; t++) {
            Spinners.Progress progress = new Spinners.Progress();
            long[] caught = new long[1];
            Thread victim = new Thread(null, () -> {
                try {
                    run(kase, progress);
                } catch (ThreadKilledError e) {
                    caught[0] = System.nanoTime();
                }
            }, "victim-" + t, 256L << 20); // room for the deep case's 10,000 frames, interpreted or not
            victim.setDaemon(true);
            victim.start();
            while (progress.count == 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            // The first trial warms the JIT up; later ones kill at a random moment.
            long runMillis = t == 0 ? 2000 : (isolated ? 1200 : 20) + ThreadLocalRandom.current().nextInt(30);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(runMillis));
            long before = System.nanoTime();
            KillHandle handle = Killswitch.kill(victim, "latency probe");
            long returned = System.nanoTime();
            victim.join(120_000);
            if (caught[0] == 0) {
                System.out.println("NOT DELIVERED: " + handle.describe());
                System.exit(1);
            }
            if (t >= warmUps) {
                latencies.add((caught[0] - returned) / 1e6);
                requestMicros.add((returned - before) / 1e3);
            }
        }
        latencies.sort(null);
        requestMicros.sort(null);
        System.out.println(String.format(Locale.ROOT, "RESULT\tcase=%s\tn=%d\tp50=%.3f\tp90=%.3f\tp99=%.3f\tmax=%.3f\trequestUs=%.1f\tnmethods=%d",
                kase, latencies.size(), Percentiles.of(latencies, 50), Percentiles.of(latencies, 90), Percentiles.of(latencies, 99), latencies.get(latencies.size() - 1),
                Percentiles.of(requestMicros, 50), CompiledCode.nmethods()));
        System.exit(0);
    }

    private static void run(String kase, Spinners.Progress progress) {
        switch (kase) {
            case "hot":
                Spinners.hotLoop(progress);
                break;
            case "recursion":
                Spinners.recursion(progress);
                break;
            case "deep":
                Spinners.deep(progress, 10_000);
                break;
            case "longLoop":
                Spinners.longCountedLoop(progress);
                break;
            default:
                throw new IllegalArgumentException(kase);
        }
    }
}
