package com.acme.sleepy;

/** Unselected library code that sleeps until released and, like much code, turns an interrupt into a failure. */
public final class Sleeper {
    private Sleeper() {
    }

    public static long sleepUntilReleased() {
        long naps = 0;
        while (!Boolean.getBoolean("slowload.released")) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted while loading", e);
            }
            naps++;
        }
        return naps + 1;
    }
}
