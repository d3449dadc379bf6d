package com.acme.api;

import dev.killswitch.Killswitch;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Selected code that uses Killswitch.callWithDeadline as an application would: it handles the timeout and carries on. */
public final class DeadlineCaller {
    public static volatile long progress;

    private DeadlineCaller() {
    }

    public static String runStep(long budgetMillis, long n) {
        String outcome;
        try {
            outcome = "returned " + Killswitch.callWithDeadline(Duration.ofMillis(budgetMillis), () -> spin(n));
        } catch (TimeoutException e) {
            outcome = "timed out";
        } catch (Exception e) {
            outcome = "failed: " + e;
        }
        return outcome + ", then carried on";
    }

    static long spin(long n) {
        long i = 0;
        while (n < 0 || i < n) {
            i++;
            progress = i;
        }
        return i;
    }
}
