package dev.killswitch.instrument.retrofit;

import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.testing.Bytecode;
import dev.killswitch.testing.Downgrade;
import dev.killswitch.testing.InMemoryCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deadline transformer on real class files of each era: what it adds, where, and that every method still verifies. */
class DeadlineTransformerTest {
    private static final String JOBS = "com.acme.deadline.Jobs";

    static Stream<Integer> versions() {
        return IntStream.of(49, 50, 52, 61, 44 + InMemoryCompiler.newestRelease()).distinct().boxed();
    }

    @ParameterizedTest(name = "class file version {0}")
    @MethodSource("versions")
    void wrapsEveryOverloadOfTheConfiguredMethodAndNothingElse(int version) throws Exception {
        ClassNode cls = Bytecode.read(wrapped(version, new ByteArrayOutputStream()));
        assertEquals(version, cls.version);
        for (MethodNode m : cls.methods) {
            List<String> calls = runtimeCalls(m);
            if (m.name.equals("report")) {
                assertEquals("enter", calls.get(0), m.name + m.desc);
                long exits = calls.stream().filter("exit"::equals).count();
                assertEquals(returns(m) + 1, exits, "an exit before each return and one in the handler: " + m.name + m.desc);
                TryCatchBlockNode last = m.tryCatchBlocks.get(m.tryCatchBlocks.size() - 1);
                assertNull(last.type, "catch-all");
                assertEquals(m.instructions.getLast().getOpcode(), Opcodes.ATHROW);
                assertTrue(m.instructions.indexOf(last.handler) >= m.instructions.indexOf(last.end), "the handler comes after the body");
            } else {
                assertEquals(List.of(), calls, m.name + " is not configured");
            }
        }
        Bytecode.analyzeAll(cls);
    }

    @Test
    void usesTheIdOfEachMethod() {
        DeadlineTransformer t = new DeadlineTransformer(List.of(new String[] {JOBS, "spin"}, new String[] {JOBS, "report"}),
                reporter(new ByteArrayOutputStream()), System.err, false, null);
        ClassNode cls = Bytecode.read(t.transform(null, null, "com/acme/deadline/Jobs", null, null,
                InMemoryCompiler.fixtures(17).get(JOBS)));
        assertEquals(Opcodes.ICONST_0, firstInstruction(Bytecode.method(cls, "spin")).getOpcode());
        assertEquals(Opcodes.ICONST_1, firstInstruction(Bytecode.method(cls, "report")).getOpcode());
    }

    @Test
    void otherClassesAreReturnedUntouchedAndAMissingMethodIsReported() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeadlineTransformer t = new DeadlineTransformer(List.<String[]>of(new String[] {JOBS, "noSuchMethod"}), reporter(out),
                new PrintStream(out, true, StandardCharsets.UTF_8), false, null);
        byte[] shapes = InMemoryCompiler.fixtures(17).get("com.acme.shapes.Shapes");
        assertNull(t.transform(null, null, "com/acme/shapes/Shapes", null, null, shapes));
        assertNull(t.transform(null, null, "com/acme/deadline/Jobs", null, null, InMemoryCompiler.fixtures(17).get(JOBS)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("com.acme.deadline.Jobs has no method noSuchMethod with code"), out.toString());
    }

    private static byte[] wrapped(int version, ByteArrayOutputStream out) {
        byte[] original = InMemoryCompiler.fixtures(version >= 52 ? version - 44 : 8).get(JOBS);
        if (version < 52) {
            original = Downgrade.toVersion(original, version);
        }
        DeadlineTransformer t = new DeadlineTransformer(List.<String[]>of(new String[] {JOBS, "report"}), reporter(out),
                new PrintStream(out, true, StandardCharsets.UTF_8), false, null);
        byte[] result = t.transform(null, null, "com/acme/deadline/Jobs", null, null, original);
        assertNotNull(result, out.toString(StandardCharsets.UTF_8));
        return result;
    }

    private static TransformReporter reporter(ByteArrayOutputStream out) {
        return new TransformReporter(false, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static List<String> runtimeCalls(MethodNode m) {
        List<String> calls = new ArrayList<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals(DeadlineMethodVisitor.RUNTIME)) {
                calls.add(((MethodInsnNode) insn).name);
            }
        }
        return calls;
    }

    private static long returns(MethodNode m) {
        long n = 0;
        for (AbstractInsnNode insn : m.instructions) {
            if (insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN) {
                n++;
            }
        }
        return n;
    }

    private static AbstractInsnNode firstInstruction(MethodNode m) {
        AbstractInsnNode insn = m.instructions.getFirst();
        while (insn.getOpcode() < 0) {
            insn = insn.getNext();
        }
        return insn;
    }
}
