package dev.killswitch.runtime.delivery;

import dev.killswitch.runtime.registry.SwitchRegistry;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Counters of kill requests, for people and monitoring. */
public final class KillStats {
    public static final LongAdder REQUESTED = new LongAdder();
    static final LongAdder REFUSED = new LongAdder();
    static final LongAdder DELIVERED = new LongAdder();
    static final LongAdder ENDED_UNDELIVERED = new LongAdder();
    static final LongAdder CANCELLED = new LongAdder();
    static final LongAdder DELIVERY_NANOS = new LongAdder();
    /** Kills raised again at the end of a catch block that caught them. */
    public static final LongAdder RERAISED = new LongAdder();
    /** How many of the last deliveries the latency percentiles cover. */
    public static final int LATENCY_WINDOW = 256;
    private static final AtomicLongArray RECENT_NANOS = new AtomicLongArray(LATENCY_WINDOW);
    private static final AtomicInteger RECENT_COUNT = new AtomicInteger();

    private KillStats() {
    }

    public static long requested() {
        return REQUESTED.sum();
    }

    public static long refused() {
        return REFUSED.sum();
    }

    public static long delivered() {
        return DELIVERED.sum();
    }

    public static long endedUndelivered() {
        return ENDED_UNDELIVERED.sum();
    }

    public static long cancelled() {
        return CANCELLED.sum();
    }

    public static long reraised() {
        return RERAISED.sum();
    }

    public static long pending() {
        return PendingKills.count();
    }

    /**
     * What the runtime keeps for threads and kills right now: kills not yet cleared away, threads with kills
     * recorded as unwinding (for sockets, see {@code BlockingIo.tracked}). Each falls back to zero once its
     * thread or kill is gone (threads that ended are forgotten when the deliverer next idles).
     */
    public static long[] trackedState() {
        return new long[] {PendingKills.tracked(), Unwinding.tracked()};
    }

    public static void delivered(long latencyNanos) {
        DELIVERED.increment();
        DELIVERY_NANOS.add(latencyNanos);
        RECENT_NANOS.set(RECENT_COUNT.getAndIncrement() % LATENCY_WINDOW, latencyNanos);
    }

    /**
     * Delivery latency over the last (up to) {@link #LATENCY_WINDOW} delivered kills, in milliseconds: {50th percentile,
     * 99th percentile, maximum}; zeros if none.
     */
    public static double[] recentLatencyMillis() {
        int n = Math.min(RECENT_COUNT.get(), LATENCY_WINDOW);
        if (n == 0) {
            return new double[3];
        }
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = RECENT_NANOS.get(i);
        }
        Arrays.sort(sorted);
        return new double[] {sorted[(n - 1) / 2] / 1e6, sorted[(int) Math.ceil(0.99 * n) - 1] / 1e6, sorted[n - 1] / 1e6};
    }

    /** Mean time from request to delivery over all delivered kills, in microseconds; 0 if none. */
    public static double meanDeliveryMicros() {
        long n = DELIVERED.sum();
        return n == 0 ? 0 : DELIVERY_NANOS.sum() / 1000.0 / n;
    }

    /** Methods whose kill points have run at least once. */
    public static int linkedMethods() {
        return SwitchRegistry.linkedMethods();
    }
}
