package dev.killswitch.instrument.retrofit;

import dev.killswitch.testing.Bytecode;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.BasicInterpreter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interrupt hook on the running JDK's own java.lang.Thread: one call at the start of interrupt(), nothing else. */
class InterruptHookTransformerTest {
    private final InterruptHookTransformer transformer = new InterruptHookTransformer(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    @Test
    void interruptStartsWithTheHookAndEveryOtherMethodIsUnchanged() throws Exception {
        byte[] original = jdkClass("java/lang/Thread");
        byte[] hooked = transformer.transform(null, null, "java/lang/Thread", Thread.class, null, original);
        assertNotNull(hooked);
        ClassNode before = Bytecode.read(original);
        ClassNode after = Bytecode.read(hooked);
        assertEquals(before.methods.size(), after.methods.size(), "no method added");
        assertEquals(before.fields.size(), after.fields.size(), "no field added");
        for (MethodNode m : after.methods) {
            MethodNode old = before.methods.stream().filter(o -> o.name.equals(m.name) && o.desc.equals(m.desc)).findFirst().orElseThrow();
            if (m.name.equals("interrupt") && m.desc.equals("()V")) {
                AbstractInsnNode first = real(m.instructions.getFirst());
                AbstractInsnNode second = real(first.getNext());
                assertEquals(Opcodes.ALOAD, first.getOpcode());
                assertEquals(0, ((VarInsnNode) first).var);
                MethodInsnNode call = (MethodInsnNode) second;
                assertEquals("dev/killswitch/runtime/retrofit/InterruptKills.interrupting(Ljava/lang/Thread;)V", call.owner + "." + call.name + call.desc);
                assertEquals(Bytecode.instructionsWithoutKillPoints(old).size() + 2, Bytecode.instructionsWithoutKillPoints(m).size());
                new Analyzer<>(new BasicInterpreter()).analyze(after.name, m);
            } else {
                assertEquals(Bytecode.instructionsWithoutKillPoints(old), Bytecode.instructionsWithoutKillPoints(m), m.name + m.desc);
            }
        }
    }

    @Test
    void looksAtNothingButTheJdkThreadClasses() throws IOException {
        byte[] thread = jdkClass("java/lang/Thread");
        assertNull(transformer.transform(null, ClassLoader.getSystemClassLoader(), "java/lang/Thread", null, null, thread),
                "a class of that name outside the boot loader");
        assertNull(transformer.transform(null, null, "java/lang/ThreadGroup", null, null, jdkClass("java/lang/ThreadGroup")));
        assertTrue(InterruptHookTransformer.HOOKED.contains("java/lang/VirtualThread"));
    }

    private static AbstractInsnNode real(AbstractInsnNode insn) {
        while (insn.getOpcode() < 0) {
            insn = insn.getNext();
        }
        return insn;
    }

    private static byte[] jdkClass(String name) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
            return in.readAllBytes();
        }
    }
}
