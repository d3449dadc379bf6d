package dev.killswitch.compat.child;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Called back by the library's loop once a round. Without the agent the spinner cannot be killed, so the harness
 * stops it by telling the loop to end.
 */
public final class Spin {
    private final AtomicLong rounds = new AtomicLong();
    private volatile boolean stop;

    /** True while the loop should go on; counts the rounds. Public: BeanShell calls it by reflection. */
    public boolean keepGoing() {
        rounds.incrementAndGet();
        return !stop;
    }

    void stop() {
        stop = true;
    }

    long rounds() {
        return rounds.get();
    }
}
