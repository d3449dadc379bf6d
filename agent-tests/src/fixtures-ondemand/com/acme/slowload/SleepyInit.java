package com.acme.slowload;

import com.acme.sleepy.Sleeper;

/**
 * A class whose static initialiser waits in unselected code that fails if interrupted. Waking the thread for a kill
 * would fail the initialiser, and the class with it, for good.
 */
public final class SleepyInit {
    public static final long VALUE;

    static {
        System.out.println("@@ INITIALISING\tname=" + Thread.currentThread().getName());
        System.out.flush();
        VALUE = Sleeper.sleepUntilReleased();
    }

    private SleepyInit() {
    }
}
