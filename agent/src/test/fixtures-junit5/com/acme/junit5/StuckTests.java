package com.acme.junit5;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests stuck in {@code while (true)}, under each kind of JUnit 5 timeout. JUnit ends the test after the
 * timeout and interrupts the thread running it, which ignores the interrupt: without interrupt-kills it
 * spins on, leaked; with it, the interrupt kills it.
 */
class StuckTests {
    static volatile long separateThreadProgress;
    static volatile long preemptiveProgress;
    static volatile long sameThreadProgress;
    static volatile String sameThreadRanOn;

    @Test
    @Timeout(value = 300, unit = TimeUnit.MILLISECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stuckUnderTimeoutInASeparateThread() {
        while (true) {
            separateThreadProgress++;
        }
    }

    @Test
    void stuckInAssertTimeoutPreemptively() {
        assertTimeoutPreemptively(Duration.ofMillis(300), () -> {
            while (true) {
                preemptiveProgress++;
            }
        });
    }

    /** Only run with interrupt-kills: without, the timeout cannot end it, and the run never ends. */
    @Test
    @Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
    void stuckUnderTimeoutInTheSameThread() {
        sameThreadRanOn = Thread.currentThread().getName();
        while (true) {
            sameThreadProgress++;
        }
    }

    @Test
    void passes() {
    }
}
