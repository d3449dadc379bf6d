package dev.killswitch.testing;

import dev.killswitch.config.ClassGlob;
import dev.killswitch.config.ConfigException;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.KillPointTransformer;
import dev.killswitch.instrument.TransformReporter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Defines classes from bytes, child first, after passing each through the agent's real transformer,
 * just as the JVM does with an agent attached. The kill-point runtime comes from the parent (the test
 * class path).
 */
public final class TransformingClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;
    private final KillPointTransformer transformer;
    private final ByteArrayOutputStream report = new ByteArrayOutputStream();

    /** @param include class patterns to instrument, or none to load everything unchanged */
    public TransformingClassLoader(Map<String, byte[]> classes, String... include) {
        super("test-transforming", TransformingClassLoader.class.getClassLoader());
        this.classes = classes;
        this.transformer = include.length == 0 ? null : new KillPointTransformer(
                new ClassSelector(globs(include), List.of()),
                new TransformReporter(true, new PrintStream(report, true, StandardCharsets.UTF_8)), null);
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

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && classes.containsKey(name)) {
                byte[] original = classes.get(name);
                byte[] bytes = original;
                if (transformer != null) {
                    byte[] transformed = transformer.transform(null, this, name.replace('.', '/'), null, null, original);
                    if (transformed != null) {
                        bytes = transformed;
                    }
                }
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (c == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** What the transformer reported (debug lines and failures). */
    public String report() {
        return report.toString(StandardCharsets.UTF_8);
    }
}
