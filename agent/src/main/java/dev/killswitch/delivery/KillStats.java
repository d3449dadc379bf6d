package dev.killswitch.delivery;

import java.util.concurrent.atomic.LongAdder;

/** Counters of kill requests, for people and monitoring. */
public final class KillStats {
    static final LongAdder REQUESTED = new LongAdder();
    static final LongAdder REFUSED = new LongAdder();
    static final LongAdder DELIVERED = new LongAdder();
    static final LongAdder ENDED_UNDELIVERED = new LongAdder();
    static final LongAdder DELIVERY_NANOS = new LongAdder();

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

    public static long pending() {
        return PendingKills.count();
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
