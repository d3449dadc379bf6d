package dev.killswitch.runtime.blocking;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.instrument.killpoints.KillPointInserter;
import dev.killswitch.instrument.killpoints.KillPointTransformer;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.Bytecode;
import dev.killswitch.testing.Downgrade;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import dev.killswitch.testing.Victim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A redirected blocking call takes the form its class file allows: an {@code invokedynamic} linked to the runtime
 * method in class files of Java 7 and later (a profile per call site), a static call before. Either way a kill wakes
 * the waiting thread there and lands, and the call is the runtime method with the same name and descriptor.
 */
class RedirectedCallsTest {
    private static final String WAITS = "com.acme.waits.Waits";
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @BeforeAll
    static void activateRuntime() {
        RuntimeStart.activate(false);
    }

    @ParameterizedTest(name = "class-file version {0}")
    @ValueSource(ints = {49, 50, 51, 52, 61})
    void aKillWakesASleeperThroughTheRedirectItsClassFileAllows(int version) throws Exception {
        byte[] original = waits(version);
        byte[] transformed = new KillPointInserter().instrument(original).bytes();
        List<AbstractInsnNode> redirects = redirects(Bytecode.method(Bytecode.read(transformed), "sleepSwallowingInterrupts"));
        assertEquals(1, redirects.size(), "Thread.sleep is redirected");
        AbstractInsnNode call = redirects.get(0);
        if (version >= Opcodes.V1_7) {
            InvokeDynamicInsnNode indy = assertInstanceOf(InvokeDynamicInsnNode.class, call, "a profile per call site");
            assertEquals("sleep(J)V", indy.name + indy.desc);
            assertEquals("dev/killswitch/runtime/blocking/BlockingCalls.link", indy.bsm.getOwner() + "." + indy.bsm.getName());
            assertEquals(0, indy.bsmArgs.length, "no static arguments: the JVM's fast linking path");
        } else {
            MethodInsnNode invoke = assertInstanceOf(MethodInsnNode.class, call, "no invokedynamic before Java 7");
            assertEquals(Opcodes.INVOKESTATIC, invoke.getOpcode());
            assertEquals("dev/killswitch/runtime/blocking/BlockingCalls.sleep(J)V", invoke.owner + "." + invoke.name + invoke.desc);
        }

        Class<?> waits = new TransformingClassLoader(Map.of(WAITS, original), "com.acme.**").loadClass(WAITS);
        Method sleep = waits.getMethod("sleepSwallowingInterrupts", long.class);
        assertEquals(0L, sleep.invoke(null, 3L), "without a kill, three short sleeps, nothing woken");
        Victim victim = Victim.start("sleeper", () -> sleep.invoke(null, -1L));
        await().atMost(DEADLINE).until(() -> victim.thread.getState() == Thread.State.TIMED_WAITING);
        KillHandle handle = Killswitch.kill(victim.thread, "wake up");
        assertTrue(handle.awaitDelivery(DEADLINE), handle.describe());
        assertTrue(handle.awaitThreadEnd(DEADLINE), handle.describe());
        assertInstanceOf(ThreadKilledError.class, victim.died.get());
        assertFalse(victim.thread.isAlive());
    }

    /**
     * An {@code invokedynamic} is two bytes longer than the static call it stands for: a method whose redirects would
     * take it past the 64 KB limit keeps them as static calls (sharing one type profile), rather than go without kill
     * points at all; the class's other methods keep theirs.
     */
    @Test
    void aMethodTooLargeForInvokedynamicRedirectsKeepsStaticOnes() throws Exception {
        KillPointInserter.Result result = new KillPointInserter().instrument(manySleeps());
        assertEquals(List.of(), result.skippedMethods(), "no method left without kill points");
        ClassNode transformed = Bytecode.read(result.bytes());
        List<AbstractInsnNode> many = redirects(Bytecode.method(transformed, "many"));
        assertEquals(SLEEPS, many.size(), "every sleep is redirected");
        for (AbstractInsnNode call : many) {
            assertEquals(Opcodes.INVOKESTATIC, call.getOpcode(), "a static call, the short form");
        }
        assertInstanceOf(InvokeDynamicInsnNode.class, redirects(Bytecode.method(transformed, "one")).get(0),
                "a method with room keeps a profile per call site");
        Class<?> loaded = new TransformingClassLoader(Map.of(MANY_SLEEPS, manySleeps()), "com.acme.**").loadClass(MANY_SLEEPS);
        loaded.getMethod("many", long.class).invoke(null, 0L); // verifies, links and runs
        loaded.getMethod("one", long.class).invoke(null, 0L);
        assertEquals(List.of("many(J)V"), result.staticRedirects());
    }

    /** With debug on, the transformer says which methods' redirected calls share one profile, and why. */
    @Test
    void theDebugOutputNamesAMethodWhoseRedirectsAreStaticCalls() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new KillPointTransformer(new ClassSelector(TransformingClassLoader.globs("com.acme.**"), List.of()),
                new TransformReporter(true, new PrintStream(out, true, StandardCharsets.UTF_8)), null)
                .transform(null, null, MANY_SLEEPS.replace('.', '/'), null, null, manySleeps());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("killswitch: " + MANY_SLEEPS + ".many(J)V: its blocking calls go through plain static calls,"
                + " which share one type profile: as invokedynamic its code would exceed the JVM's 64 KB limit"), text);
        assertFalse(text.contains(".one(J)V"), text);
    }

    private static final String MANY_SLEEPS = "com.acme.waits.ManySleeps";
    /** 4 bytes a sleep as compiled, 6 with an invokedynamic: 48,000 bytes of code fit, 72,000 do not. */
    private static final int SLEEPS = 12_000;

    /** A Java 8 class: {@code many} makes {@link #SLEEPS} calls of {@code Thread.sleep(millis)}, {@code one} makes one. */
    private static byte[] manySleeps() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, MANY_SLEEPS.replace('.', '/'), null, "java/lang/Object", null);
        for (String name : new String[] {"many", "one"}) {
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, "(J)V", null,
                    new String[] {"java/lang/InterruptedException"});
            mv.visitCode();
            for (int i = 0; i < (name.equals("many") ? SLEEPS : 1); i++) {
                mv.visitVarInsn(Opcodes.LLOAD, 0);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "sleep", "(J)V", false);
            }
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** The fixture as a compiler for {@code version} writes it: Java 8 and 17 compile, older versions rewritten down. */
    private static byte[] waits(int version) {
        if (version >= 52) {
            byte[] compiled = InMemoryCompiler.fixtures(version - 44).get(WAITS);
            assertEquals(version, compiled[7] & 0xFF, "class-file version");
            return compiled;
        }
        if (version == 51) { // the first version with invokedynamic: Java 8's bytes, frames and all, are valid Java 7 bytes
            byte[] java7 = InMemoryCompiler.fixtures(8).get(WAITS).clone();
            java7[7] = 51;
            return java7;
        }
        return Downgrade.toVersion(InMemoryCompiler.fixtures(8).get(WAITS), version);
    }

    private static List<AbstractInsnNode> redirects(MethodNode method) {
        List<AbstractInsnNode> out = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (Bytecode.redirectedTo(insn) != null) {
                out.add(insn);
            }
        }
        return out;
    }
}
