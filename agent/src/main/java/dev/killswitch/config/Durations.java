package dev.killswitch.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way every duration is written, wherever a user writes one (the {@code deadline} key, the
 * command-line tool's {@code --wait}): a whole or decimal number and a unit, {@code ms}, {@code s},
 * {@code m} or {@code min}, or {@code h}, as in {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h};
 * {@code 0} needs no unit. A number that is not zero is at least a nanosecond; anything over ten years is ten years.
 */
public final class Durations {
    /** What every message about a duration shows as examples. */
    public static final String EXAMPLES = "500ms, 1.5s, 30s, 2m or 1h";

    private static final double MAX_NANOS = 3650 * 24 * 3600e9;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)\\s*(ms|s|m|min|h)?");

    private Durations() {
    }

    /**
     * @return the duration, or null if {@code text} is not one (the caller says where it came from)
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
        // At least a nanosecond for a number that is not zero; at most ten years, which every clock can add.
        double nanos = Math.min(Math.max(amount * nanosPerUnit, amount == 0 ? 0 : 1), MAX_NANOS);
        return Duration.ofNanos(Math.round(nanos));
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
