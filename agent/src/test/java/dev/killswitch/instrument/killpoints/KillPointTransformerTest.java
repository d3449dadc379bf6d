package dev.killswitch.instrument.killpoints;

import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transformer as the JVM calls it: what it changes, what it leaves alone, what it says. */
class KillPointTransformerTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final byte[] shapes = InMemoryCompiler.fixtures(17).get("com.acme.shapes.Shapes");

    private KillPointTransformer transformer(boolean debug, String... include) {
        return new KillPointTransformer(new ClassSelector(TransformingClassLoader.globs(include), List.of()),
                new TransformReporter(debug, new PrintStream(output, true, StandardCharsets.UTF_8)), null);
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void instrumentsSelectedClassesAndRegistersThem() {
        byte[] out = transformer(true, "com.acme.**").transform(null, null, "com/acme/shapes/Shapes", null, null, shapes);
        assertNotNull(out);
        assertTrue(InstrumentedClasses.contains("com.acme.shapes.Shapes"));
        assertTrue(output().matches("(?s)killswitch: instrumented com\\.acme\\.shapes\\.Shapes: \\d+ back-edge, \\d+ method-entry kill points, "
                + "\\d+ blocking calls, \\d+ catch- and finally-block exits \\(class file 61, per-method switch, numbered call\\)\\R"), output());
    }

    @Test
    void leavesUnselectedClassesUntouchedWithoutReadingThem() {
        KillPointTransformer t = transformer(true, "com.acme.*");
        assertNull(t.transform(null, null, "com/acme/shapes/Shapes", null, null, shapes), "sub-package is not selected");
        assertNull(t.transform(null, null, "org/other/Shapes", null, null, new byte[] {0}), "not even parsed");
        assertEquals("", output());
    }

    @Test
    void neverInstrumentsJdkOrAgentClassesWhateverThePatternsSay() throws IOException {
        KillPointTransformer t = transformer(true, "**");
        for (Class<?> c : List.of(java.util.ArrayList.class, javax.tools.ToolProvider.class,
                dev.killswitch.Killswitch.class, KillPointInserter.class)) {
            String name = c.getName().replace('.', '/');
            assertNull(t.transform(c.getModule(), c.getClassLoader(), name, null, null, bytesOf(c)), name);
        }
        // A JDK class outside the name prefixes is recognised by its module and loader.
        Class<?> jdkNonJavaPackage = org.w3c.dom.Node.class;
        assertNull(t.transform(jdkNonJavaPackage.getModule(), null, "org/w3c/dom/Node", null, null, bytesOf(jdkNonJavaPackage)));
        assertEquals("", output());
    }

    @Test
    void ofTheJdkOnlyThePackagesOfIncludeJdkAndNotTheirSubPackages() throws IOException {
        KillPointTransformer t = new KillPointTransformer(new ClassSelector(List.of(), List.of(), List.of("java.util.regex"), List.of()),
                new TransformReporter(false, new PrintStream(output, true, StandardCharsets.UTF_8)), null);
        Class<?> pattern = java.util.regex.Pattern.class;
        byte[] original = bytesOf(pattern);
        byte[] out = t.transform(pattern.getModule(), null, "java/util/regex/Pattern", pattern, null, original);
        assertNotNull(out, "java.util.regex is a safe spot when asked for");
        assertTrue(InstrumentedClasses.contains("java.util.regex.Pattern"));
        for (Class<?> c : List.of(java.util.ArrayList.class, java.util.concurrent.locks.ReentrantLock.class, java.util.Locale.class)) {
            assertNull(t.transform(c.getModule(), null, c.getName().replace('.', '/'), c, null, bytesOf(c)), c.getName());
        }
        assertEquals("", output());
    }

    @Test
    void aClassItCannotReadIsLoadedUnchangedAndReportedOnce() {
        KillPointTransformer t = transformer(false, "com.acme.**");
        byte[] corrupt = java.util.Arrays.copyOf(shapes, 200);
        assertNull(t.transform(null, null, "com/acme/Broken", null, null, corrupt));
        assertNull(t.transform(null, null, "com/acme/Broken", null, null, corrupt));
        byte[] future = shapes.clone();
        future[7] = (byte) 99;
        assertNull(t.transform(null, null, "com/acme/Future", null, null, future));
        String[] lines = output().split("\\R");
        assertEquals(2, lines.length, output());
        assertTrue(lines[0].startsWith("killswitch: com.acme.Broken loaded unchanged, without kill points: the class file cannot be read"), lines[0]);
        assertEquals("killswitch: com.acme.Future loaded unchanged, without kill points: "
                + "class-file version 99 is newer than this agent supports (up to 72, Java 28)", lines[1]);
        assertFalse(InstrumentedClasses.contains("com.acme.Broken"));
    }

    private static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in == null ? new byte[0] : in.readAllBytes();
        }
    }
}
