package dev.killswitch.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code --wait} values: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, a bare number of seconds, or ISO {@code PT5S}. */
final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min)?");

    private Durations() {
    }

    static Duration parse(String text) throws CliException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            double value = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = unit.equals("ms") ? value : unit.equals("s") ? value * 1000 : value * 60_000;
            return Duration.ofNanos((long) (millis * 1_000_000));
        }
        if (t.startsWith("pt")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // fall through to the error
            }
        }
        throw new CliException(ExitCodes.USAGE, "not a duration: \"" + text + "\" (examples: 500ms, 5s, 2m)");
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
