package dev.killswitch.testing;

import dev.killswitch.config.ClassGlob;
import dev.killswitch.config.ConfigException;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.instrument.killpoints.KillPointTransformer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Defines classes from bytes, child first, after passing each through the agent's real kill-point
 * transformer, just as the JVM does with an agent attached (a {@link ChainLoader} of that one). The
 * kill-point runtime comes from the parent (the test class path).
 */
public final class TransformingClassLoader extends ChainLoader {
    private final ByteArrayOutputStream report;

    /** @param include class patterns to instrument, or none to load everything unchanged */
    public TransformingClassLoader(Map<String, byte[]> classes, String... include) {
        this(classes, new ByteArrayOutputStream(), include);
    }

    private TransformingClassLoader(Map<String, byte[]> classes, ByteArrayOutputStream report, String... include) {
        this(classes, report, false, include);
    }

    private TransformingClassLoader(Map<String, byte[]> classes, ByteArrayOutputStream report, boolean withoutNumbers, String... include) {
        super("test-transforming", classes, include.length == 0 ? List.of() : List.of(transformer(report, withoutNumbers, include)));
        this.report = report;
    }

    /** With the {@code invokedynamic} kill points that class files get once kill-point numbers run out. */
    public static TransformingClassLoader withoutNumbers(Map<String, byte[]> classes, String... include) {
        return new TransformingClassLoader(classes, new ByteArrayOutputStream(), true, include);
    }

    private static KillPointTransformer transformer(ByteArrayOutputStream report, boolean withoutNumbers, String... include) {
        ClassSelector selector = new ClassSelector(globs(include), List.of());
        TransformReporter reporter = new TransformReporter(true, new PrintStream(report, true, StandardCharsets.UTF_8));
        return withoutNumbers ? KillPointTransformer.withoutNumbers(selector, reporter) : new KillPointTransformer(selector, reporter, null);
    }

    public static List<ClassGlob> globs(String... patterns) {
        return java.util.Arrays.stream(patterns).map(p -> {
            try {
                return ClassGlob.parse(p);
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e);
            }
        }).collect(Collectors.toList());
    }

    /** What the transformer reported (debug lines and failures). */
    public String report() {
        return report.toString(StandardCharsets.UTF_8);
    }
}
