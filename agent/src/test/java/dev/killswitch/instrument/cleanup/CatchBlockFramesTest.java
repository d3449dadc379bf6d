package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.killpoints.KillPointInserter;
import dev.killswitch.testing.Bytecode;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression: the checks at the exits of a catch block load the caught exception, so the stack-map frames of the
 * block must declare it. javac copies a {@code finally} block after the catch block, where the exception's scope has
 * ended, and each {@code if} in the copy ends at a frame without it. Declaring it again only in the frame before the
 * check left a jump into that frame from under an earlier one, and the verifier rejected the class ("Inconsistent
 * stackmap frames at branch target"). Found by the compatibility harness's sweep of published jars (woodstox's
 * DTDParser, guava's Maps$EntrySet, many classes of the Kotlin compiler).
 */
class CatchBlockFramesTest {
    private static final String SOURCE = """
            package com.acme.frames;

            public class ScopeEnds {
                public static int calls;

                static int mayThrow(boolean fail) {
                    if (fail) {
                        throw new IllegalStateException("fail");
                    }
                    return 5;
                }

                public static int catchThenFinally(boolean fail, boolean more) {
                    int r = 0;
                    try {
                        r = mayThrow(fail);
                    } catch (IllegalStateException e) {
                        r = more ? 1 : 2;
                    } finally {
                        if (fail) {
                            r += 10;
                        }
                        if (more) {
                            r += 100;
                        }
                        calls++;
                    }
                    return r;
                }
            }
            """;

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 17})
    void aCatchBlockWhoseVariableGoesOutOfScopeBeforeSeveralFramesStillVerifies(int release, @TempDir Path dir) throws Exception {
        Path source = dir.resolve("com/acme/frames/ScopeEnds.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, SOURCE);
        Map<String, byte[]> classes = InMemoryCompiler.compile(release, List.of(source));

        int checks = 0;
        for (AbstractInsnNode insn : Bytecode.method(Bytecode.read(new KillPointInserter().instrument(
                classes.get("com.acme.frames.ScopeEnds")).bytes()), "catchThenFinally").instructions) {
            if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.startsWith("catchExit")) {
                checks++;
            }
        }
        assertTrue(checks > 0, "the catch block got no exit checks, so this shape is not tested");

        // Linking the class runs the verifier (the unit tests run with -Xverify:all).
        TransformingClassLoader loader = new TransformingClassLoader(classes, "com.acme.**");
        Method m = loader.loadClass("com.acme.frames.ScopeEnds").getMethod("catchThenFinally", boolean.class, boolean.class);
        assertEquals(111, m.invoke(null, true, true));
        assertEquals(12, m.invoke(null, true, false));
        assertEquals(105, m.invoke(null, false, true));
        assertTrue(loader.report().contains("instrumented com.acme.frames.ScopeEnds:"), loader.report());
    }
}
