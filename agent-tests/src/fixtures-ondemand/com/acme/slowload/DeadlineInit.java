package com.acme.slowload;

import dev.killswitch.Killswitch;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A class whose static initialiser gives a runaway task 300 ms with {@code callWithDeadline}, and falls back to -1.
 * The kill of the overrun is caught where that call returns, inside the initialiser: it can never fail the class, so
 * it does not wait for the initialiser to finish (it never would).
 */
public final class DeadlineInit {
    public static final long VALUE;

    static {
        long value;
        try {
            value = Killswitch.callWithDeadline(Duration.ofMillis(300), () -> {
                Loader.spin();
                return 1L;
            });
        } catch (TimeoutException e) {
            value = -1;
        } catch (Exception e) {
            value = -2;
        }
        VALUE = value;
    }

    private DeadlineInit() {
    }
}
