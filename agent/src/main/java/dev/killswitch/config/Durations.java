package dev.killswitch.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way every duration is written, wherever a user writes one (the {@code deadline} key, the
 * command-line tool's {@code --wait}): a whole or decimal number and a unit, {@code ms}, {@code s},
 * {@code m} or {@code min}, or {@code h}, as in {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h};
 * {@code 0} needs no unit. A number that is not zero is at least a nanosecond; nothing over ten years is accepted
 * (a clock can add every duration, and such a wait is a mistake).
 */
public final class Durations {
    /** What every message about a duration shows as examples. */
    public static final String EXAMPLES = "500ms, 1.5s, 30s, 2m or 1h";

    private static final double MAX_NANOS = 3650 * 24 * 3600e9;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)\\s*(ms|s|m|min|h)?");

    private Durations() {
    }

    /**
     * @return the duration, or null if {@code text} is not one or is too long (the caller says where it came
     *         from, and {@link #whyNot} says what is wrong)
     */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        if (unit == null) {
            return amount == 0 ? Duration.ZERO : null;
        }
        double nanosPerUnit;
        switch (unit) {
            case "ms":
                nanosPerUnit = 1e6;
                break;
            case "s":
                nanosPerUnit = 1e9;
                break;
            case "h":
                nanosPerUnit = 3600e9;
                break;
            default:
                nanosPerUnit = 60e9;
        }
        double nanos = Math.max(amount * nanosPerUnit, amount == 0 ? 0 : 1); // a number that is not zero is not rounded to it
        return nanos > MAX_NANOS ? null : Duration.ofNanos(Math.round(nanos));
    }

    /** Why {@link #parse} refused {@code text}, as the end of a sentence that starts with the text. */
    public static String whyNot(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (DURATION.matcher(t).matches() && !t.matches("[\\d.]+")) {
            return "is longer than ten years, the longest duration accepted";
        }
        return "is not a duration; write a number and a unit, as in " + EXAMPLES;
    }

    /** {@code 250 ms}, {@code 5 s}, {@code 1.5 s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
