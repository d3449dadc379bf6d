package dev.killswitch.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regex-heavy kernel (parsing log lines: a full match with groups, a search, {@code split} and {@code replaceAll}),
 * run by {@link OnDemandReport} in JVMs with and without {@code include-jdk=java.util.regex}: what the JDK's regular
 * expressions cost with kill points and no kill pending.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegexIdle {
    private static final Pattern LINE = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}) \\[(\\w+)\\] (.*)$");
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+");
    private String[] lines;

    @Setup
    public void setUp() {
        String[] levels = {"INFO", "WARN", "ERROR", "DEBUG"};
        lines = new String[200];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = String.format("2026-12-%02d 10:%02d:%02d [%s] order %d, customer user%d@example.com, items %d, total %d.%02d",
                    1 + i % 28, i % 60, (i * 7) % 60, levels[i % 4], 100_000 + i, i, 1 + i % 9, 10 + i * 3, i % 100);
        }
    }

    @Benchmark
    public long parse() {
        long h = 0;
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                h += m.group(3).length() + m.group(4).length();
            }
            Matcher e = EMAIL.matcher(line);
            while (e.find()) {
                h += e.end();
            }
            h += line.split(",\\s*").length;
            h += line.replaceAll("\\d+", "#").length();
        }
        return h;
    }
}
