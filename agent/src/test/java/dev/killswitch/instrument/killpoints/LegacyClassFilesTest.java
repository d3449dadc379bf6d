package dev.killswitch.instrument.killpoints;

import dev.killswitch.testing.Bytecode;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.OldClassFiles;
import dev.killswitch.testing.TransformingClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Class files from Java 1.1 to 6: no frames, jsr/ret subroutines; numbered kill points, and the shared switch once numbers run out. */
class LegacyClassFilesTest {
    private final KillPointInserter inserter = new KillPointInserter();

    @ParameterizedTest(name = "class-file version {0}")
    @ValueSource(ints = {Opcodes.V1_1, Opcodes.V1_2, Opcodes.V1_4, Opcodes.V1_6})
    void jsrRetClassesAreInstrumentedAndComputeTheSame(int version) throws Exception {
        byte[] original = OldClassFiles.guardedLoop(version);
        KillPointInserter.Result result = inserter.instrument(original);
        assertEquals(version & 0xFFFF, result.classFileVersion());
        assertFalse(result.usesSharedSwitch(), "numbered kill points need no invokedynamic: each method has its own switch");
        assertEquals("per-method switch, numbered call", result.pollStyle());
        ClassNode cls = Bytecode.read(result.bytes());
        Bytecode.analyzeAll(cls); // ASM follows the jsr/ret subroutines

        MethodNode run = Bytecode.method(cls, "run");
        int subroutineJumps = 0;
        for (AbstractInsnNode insn : run.instructions) {
            if (insn.getOpcode() == Opcodes.RET || insn.getOpcode() == Opcodes.JSR) {
                subroutineJumps++;
                // jsr and ret call and leave a finally subroutine and close no loop: a kill there could skip the finally.
                assertTrue(Bytecode.killPointBefore(insn) == null, "kill point before " + (insn.getOpcode() == Opcodes.RET ? "ret" : "jsr"));
            }
        }
        assertTrue(subroutineJumps >= 2, "jsr and ret: " + subroutineJumps);
        int killPoints = 0;
        for (AbstractInsnNode insn : run.instructions) {
            if (Bytecode.isKillPoint(insn)) {
                killPoints++;
                assertTrue(Bytecode.isNumbered(insn), "a kill point that is not numbered: " + insn.getOpcode());
            }
        }
        assertTrue(killPoints >= 2, "kill points in run: " + killPoints);

        Class<?> plain = new TransformingClassLoader(Map.of(OldClassFiles.GUARDED, original)).loadClass(OldClassFiles.GUARDED);
        Class<?> instrumented = new TransformingClassLoader(Map.of(OldClassFiles.GUARDED, original), "com.acme.old.*")
                .loadClass(OldClassFiles.GUARDED);
        assertEquals(plain.getMethod("run", int.class).invoke(null, 1000), instrumented.getMethod("run", int.class).invoke(null, 1000));
        assertEquals(1, instrumented.getField("finallies").getInt(null), "the jsr finally ran once");
    }

    @ParameterizedTest(name = "class-file version {0}")
    @ValueSource(ints = {Opcodes.V1_1, Opcodes.V1_6})
    void onceNumbersRunOutOldClassFilesShareOneSwitch(int version) throws Exception {
        KillPointInserter.Result result = KillPointInserter.withoutNumbers().instrument(OldClassFiles.guardedLoop(version));
        assertTrue(result.usesSharedSwitch());
        assertEquals("shared switch, invokestatic", result.pollStyle());
        Bytecode.analyzeAll(Bytecode.read(result.bytes()));
    }

    /** junit 3.8.1 (Maven Central, 2002): 100 classes of class-file version 45, six of them with jsr/ret. */
    @Test
    void aWholeJava11JarIsInstrumentedVerifiedAndRuns() throws Exception {
        Map<String, byte[]> junit = readJar(legacyJar());
        int withSubroutines = 0;
        int killPoints = 0;
        for (Map.Entry<String, byte[]> e : junit.entrySet()) {
            KillPointInserter.Result r = inserter.instrument(e.getValue());
            assertEquals(45, r.classFileVersion(), e.getKey());
            Bytecode.analyzeAll(Bytecode.read(r.bytes()));
            killPoints += r.totalKillPoints();
            if (hasSubroutine(Bytecode.read(e.getValue()))) {
                withSubroutines++;
            }
        }
        assertEquals(100, junit.size());
        assertEquals(6, withSubroutines, "classes with jsr/ret");
        assertTrue(killPoints > 600, "kill points: " + killPoints); // 675 with the rules of this version

        // Load, verify (-Xverify:all) and initialise every class, then run a JUnit 3 suite on the instrumented framework.
        Map<String, byte[]> classes = new HashMap<>(junit);
        classes.putAll(InMemoryCompiler.fixtures(InMemoryCompiler.Fixtures.JUNIT3, 8, legacyJar()));
        TransformingClassLoader loader = new TransformingClassLoader(classes, "junit.**", "com.acme.legacy.*");
        System.setProperty("java.awt.headless", "true");
        for (String name : junit.keySet()) {
            Class.forName(name, true, loader);
        }
        assertTrue(loader.report().lines().filter(l -> l.startsWith("killswitch: instrumented junit.")).count() >= 90,
                loader.report());
        assertTrue(loader.report().lines().noneMatch(l -> l.contains("unchanged")), loader.report());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Class<?> runnerClass = loader.loadClass("junit.textui.TestRunner");
        Object runner = runnerClass.getConstructor(PrintStream.class).newInstance(new PrintStream(out, true, StandardCharsets.UTF_8));
        Object suite = loader.loadClass("junit.framework.TestSuite").getConstructor(Class.class)
                .newInstance(loader.loadClass("com.acme.legacy.LegacySuite"));
        Method doRun = runnerClass.getMethod("doRun", loader.loadClass("junit.framework.Test"));
        Object result = doRun.invoke(runner, suite);
        assertTrue((Boolean) result.getClass().getMethod("wasSuccessful").invoke(result), out.toString(StandardCharsets.UTF_8));
        assertEquals(3, result.getClass().getMethod("runCount").invoke(result));
    }

    static Path legacyJar() {
        return Path.of(System.getProperty("test.legacy.jar", "target/legacy/junit-3.8.1.jar"));
    }

    static Map<String, byte[]> readJar(Path jar) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(file.entries())) {
                if (e.getName().endsWith(".class")) {
                    classes.put(e.getName().replace('/', '.').substring(0, e.getName().length() - 6),
                            file.getInputStream(e).readAllBytes());
                }
            }
        }
        return classes;
    }

    private static boolean hasSubroutine(ClassNode cls) {
        for (MethodNode m : cls.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void junitJarIsPresent() {
        assertTrue(Files.isRegularFile(legacyJar()), "run through Maven, which copies " + legacyJar());
    }
}
