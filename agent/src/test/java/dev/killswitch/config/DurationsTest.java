package dev.killswitch.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The one grammar of durations, for deadline= and --wait alike. */
class DurationsTest {

    @Test
    void aNumberAndAUnit() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofMinutes(2), Durations.parse(" 2 min "));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1.5H"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
    }

    @Test
    void noUnitNoSignNoIsoForm() {
        assertNull(Durations.parse("5"));
        assertNull(Durations.parse("-1s"));
        assertNull(Durations.parse("PT5S"));
        assertNull(Durations.parse("soon"));
        assertNull(Durations.parse("1.5d"));
    }

    @Test
    void neitherRoundedToZeroNorOverflowing() {
        assertEquals(Duration.ofNanos(1), Durations.parse("0.000000001ms"));
        Duration longest = Durations.parse("87600h");
        assertEquals(Duration.ofDays(3650), longest);
        assertEquals(true, System.nanoTime() + longest.toNanos() > 0, "a clock can add it");
        assertNull(Durations.parse("87601h"));
        assertNull(Durations.parse("999999999h"));
    }

    @Test
    void aRefusalSaysWhy() {
        assertEquals("is longer than ten years, the longest duration accepted", Durations.whyNot("999999999h"));
        assertEquals("is not a duration; write a number and a unit, as in 500ms, 1.5s, 30s, 2m or 1h", Durations.whyNot("soon"));
        assertEquals("is not a duration; write a number and a unit, as in 500ms, 1.5s, 30s, 2m or 1h", Durations.whyNot("5"));
    }
}
