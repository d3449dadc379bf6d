package dev.killswitch.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs in a child JVM without the agent: what the two JVM operations behind an isolated kill cost by themselves,
 * done the way the agent does them, on a thread spinning in a C2-compiled loop whose call site's empty target the
 * JIT inlined. First a look at the top 64 frames of its stack (the thread management bean), then a {@code
 * MutableCallSite.setTarget} that deoptimises the loop; then the time until the thread's first call of the new
 * target. No agent code runs: this is the floor under the agent's isolated-kill latency on this machine and JDK.
 * Arguments: trials, and how many more methods to have compiled first ({@link CompiledCode}; none if left out).
 */
public final class FloorProbe {
    private static final MethodType VOID = MethodType.methodType(void.class);
    private static final MutableCallSite SITE = new MutableCallSite(MethodHandles.empty(VOID));
    private static final MethodHandle INVOKER = SITE.dynamicInvoker();
    private static final int WARMUP_TRIALS = 3;

    private static volatile Thread target;
    private static volatile long sink;

    private FloorProbe() {
    }

    public static void main(String[] args) throws Throwable {
        ProbeArgs read = new ProbeArgs("floor probe", "FloorProbe TRIALS [MORE_METHODS]", args);
        read.noMoreThan(2);
        int trials = read.positive(0, "the number of trials");
        CompiledCode.add(read.count(1, "the number of methods to have compiled first", 0));
        System.out.println(measure(trials) + "\tnmethods=" + CompiledCode.nmethods());
        System.exit(0);
    }

    /** @return the result line; throws if a spinner never met the new target */
    static String measure(int trials) throws Throwable {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MethodHandle idle = SITE.getTarget();
        MethodHandle armed = MethodHandles.lookup().findStatic(FloorProbe.class, "armed", VOID);
        List<Double> samples = new ArrayList<>();
        List<Double> deopts = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        for (int t = 0; t < trials + WARMUP_TRIALS; t++) {
            long[] reached = new long[1];
            Thread spinner = new Thread(() -> {
                try {
                    spin();
                } catch (Reached e) {
                    reached[0] = System.nanoTime();
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }, "spinner-" + t);
            spinner.setDaemon(true);
            target = spinner;
            spinner.start();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(t == 0 ? 2000 : 1200 + ThreadLocalRandom.current().nextInt(30)));
            @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19 on
            long id = spinner.getId();
            long start = System.nanoTime();
            threads.getThreadInfo(new long[] {id}, false, false, 64);
            long sampled = System.nanoTime();
            SITE.setTarget(armed);
            long flipped = System.nanoTime();
            spinner.join(60_000);
            SITE.setTarget(idle); // nothing runs the loop now: the next spinner compiles it afresh
            if (reached[0] == 0) {
                throw new IllegalStateException("the spinner never called the new target");
            }
            if (t >= WARMUP_TRIALS) {
                samples.add((sampled - start) / 1e6);
                deopts.add((flipped - sampled) / 1e6);
                totals.add((reached[0] - start) / 1e6);
            }
        }
        samples.sort(null);
        deopts.sort(null);
        totals.sort(null);
        return String.format(Locale.ROOT, "RESULT\tn=%d\tsample=%.3f\tdeopt=%.3f\tp50=%.3f\tp99=%.3f",
                totals.size(), Percentiles.of(samples, 50), Percentiles.of(deopts, 50), Percentiles.of(totals, 50), Percentiles.of(totals, 99));
    }

    private static void spin() throws Throwable {
        long sum = 0;
        for (long i = 0; ; i++) {
            sum += i * i;
            INVOKER.invokeExact();
            if ((i & 0xFFFFF) == 0) {
                sink = sum;
            }
        }
    }

    /** The armed target: it ends the spinner that meets it, as an armed kill point ends its victim. */
    private static void armed() {
        if (Thread.currentThread() == target) {
            throw new Reached();
        }
    }

    private static final class Reached extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Reached() {
            super(null, null, false, false);
        }
    }
}
