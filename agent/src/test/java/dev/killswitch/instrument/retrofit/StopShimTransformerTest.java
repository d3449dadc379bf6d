package dev.killswitch.instrument.retrofit;

import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.testing.Bytecode;
import dev.killswitch.testing.Downgrade;
import dev.killswitch.testing.InMemoryCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stop-shim transformer on real class files: the constant-pool scan, and each kind of rewrite. */
class StopShimTransformerTest {
    private static final String SHIM = StopShimMethodVisitor.RUNTIME;

    static Map<String, byte[]> stopFixtures() {
        return InMemoryCompiler.fixtures(InMemoryCompiler.Fixtures.STOP, 8);
    }

    @Test
    void theScanFindsExactlyTheClassesThatCallAStopMethod() {
        Map<String, byte[]> classes = stopFixtures();
        assertTrue(StopCallScanner.mayCallStop(classes.get("com.acme.stop.StopCaller")));
        assertFalse(StopCallScanner.mayCallStop(classes.get("com.acme.stop.Machine")), "declares stop methods, calls none");
        assertFalse(StopCallScanner.mayCallStop(classes.get("com.acme.stop.Worker")));
    }

    /** Over every class of java.base and the fixtures: the scan never misses a class that calls stop(), and rarely parses one that does not. */
    @Test
    void theScanAgreesWithAFullParseOnThousandsOfClasses() throws IOException {
        List<byte[]> all = new ArrayList<>(InMemoryCompiler.fixtures(17).values());
        all.addAll(stopFixtures().values());
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of());
             Stream<Path> files = Files.walk(jrt.getPath("modules", "java.base"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
                all.add(Files.readAllBytes(p));
            }
        }
        int callers = 0;
        int falseAlarms = 0;
        for (byte[] c : all) {
            boolean calls = callsStop(c);
            boolean scanned = StopCallScanner.mayCallStop(c);
            if (calls) {
                callers++;
                assertTrue(scanned, "missed a stop() call in " + new ClassReader(c).getClassName());
            } else if (scanned) {
                falseAlarms++;
            }
        }
        assertTrue(all.size() > 5000, "classes scanned: " + all.size());
        // The fixtures call stop(); java.base did until JDK 20 (ThreadGroup.stop), so on JDK 21 and later they are all there is.
        assertTrue(callers >= (Runtime.version().feature() < 21 ? 2 : 1), "stop() callers found: " + callers);
        assertTrue(falseAlarms <= all.size() / 100, "classes parsed for nothing: " + falseAlarms);
    }

    @ParameterizedTest(name = "class file version {0}")
    @ValueSource(ints = {52, 51})
    void withInvokedynamicThreadAndGroupCallsBecomeStaticCallsAndSubclassCallsALinkedSite(int version) throws Exception {
        ClassNode cls = rewritten(version);
        assertEquals(List.of("INVOKESTATIC " + SHIM + ".stop(Ljava/lang/Thread;)V"), calls(cls, "stopThread"));
        assertEquals(List.of("INVOKESTATIC " + SHIM + ".stop(Ljava/lang/Thread;Ljava/lang/Throwable;)V"), calls(cls, "stopThreadWith"));
        assertEquals(List.of("INVOKESTATIC " + SHIM + ".stop(Ljava/lang/ThreadGroup;)V"), calls(cls, "stopGroup"));
        assertEquals(List.of("INVOKEDYNAMIC stop(Lcom/acme/stop/Worker;)V " + SHIM + ".link"), calls(cls, "stopWorker"));
        assertEquals(List.of("INVOKEDYNAMIC stop(Lcom/acme/stop/Machine;)V " + SHIM + ".link",
                "INVOKEDYNAMIC stop(Lcom/acme/stop/Machine;Ljava/lang/Throwable;)V " + SHIM + ".link"), calls(cls, "stopMachine"));
        Bytecode.analyzeAll(cls);
    }

    @Test
    void withoutFramesASubclassCallIsDecidedAtRunTimeAndTheOriginalCallKept() throws Exception {
        ClassNode cls = rewritten(Opcodes.V1_5);
        assertEquals(List.of("INVOKESTATIC " + SHIM + ".stop(Ljava/lang/Thread;)V"), calls(cls, "stopThread"));
        assertEquals(List.of("INVOKESTATIC " + SHIM + ".isStoppable(Ljava/lang/Object;)Z", "INVOKESTATIC " + SHIM + ".stopObject(Ljava/lang/Object;)V",
                "INVOKEVIRTUAL com/acme/stop/Worker.stop()V"), calls(cls, "stopWorker"));
        assertEquals(List.of("INVOKESTATIC " + SHIM + ".isStoppable(Ljava/lang/Object;)Z",
                "INVOKESTATIC " + SHIM + ".stopObject(Ljava/lang/Object;)V", "INVOKEVIRTUAL com/acme/stop/Machine.stop()V",
                "INVOKESTATIC " + SHIM + ".isStoppable(Ljava/lang/Object;)Z",
                "INVOKESTATIC " + SHIM + ".stopObject(Ljava/lang/Object;Ljava/lang/Throwable;)V",
                "INVOKEVIRTUAL com/acme/stop/Machine.stop(Ljava/lang/Throwable;)V"), calls(cls, "stopMachine"));
        Bytecode.analyzeAll(cls);
    }

    @Test
    void inAJava6ClassFileASubclassCallIsLeftAloneAndSaidSoWithDebug() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] java6 = Downgrade.toVersion(stopFixtures().get("com.acme.stop.StopCaller"), Opcodes.V1_6);
        byte[] result = transformer(out).transform(null, null, "com/acme/stop/StopCaller", null, null, java6);
        ClassNode cls = Bytecode.read(result);
        assertEquals(List.of("INVOKESTATIC " + SHIM + ".stop(Ljava/lang/Thread;)V"), calls(cls, "stopThread"));
        assertEquals(List.of("INVOKEVIRTUAL com/acme/stop/Worker.stop()V"), calls(cls, "stopWorker"));
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("com.acme.stop.StopCaller calls stop() through a type that may be a subclass of Thread 3 time(s)"), said);
    }

    @Test
    void jdkClassesAndClassesWithoutStopCallsAreNotTouched() throws IOException {
        StopShimTransformer t = transformer(new ByteArrayOutputStream());
        byte[] group;
        try (var in = ClassLoader.getSystemResourceAsStream("java/lang/ThreadGroup.class")) {
            group = in.readAllBytes();
        }
        assertNull(t.transform(null, null, "java/lang/ThreadGroup", null, null, group));
        assertNull(t.transform(null, null, "com/acme/stop/Machine", null, null, stopFixtures().get("com.acme.stop.Machine")));
        assertNotNull(t.transform(null, null, "com/acme/stop/StopCaller", null, null, stopFixtures().get("com.acme.stop.StopCaller")));
    }

    @Test
    void aClassItCannotReadIsLoadedUnchangedAndReported() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] whole = stopFixtures().get("com.acme.stop.StopCaller");
        byte[] broken = java.util.Arrays.copyOf(whole, whole.length * 3 / 4); // the constant pool whole, the methods cut short
        assertTrue(StopCallScanner.mayCallStop(broken));
        assertTrue(transformer(out).transform(null, null, "com/acme/stop/StopCaller", null, null, broken) == null, "unchanged");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("com.acme.stop.StopCaller loaded unchanged"), out.toString(StandardCharsets.UTF_8));
    }

    private static StopShimTransformer transformer(ByteArrayOutputStream out) {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new StopShimTransformer(new TransformReporter(false, print), print, true, null);
    }

    private static ClassNode rewritten(int version) {
        byte[] original = Downgrade.toVersion(stopFixtures().get("com.acme.stop.StopCaller"), version);
        if (version >= Opcodes.V1_6) {
            original = stopFixtures().get("com.acme.stop.StopCaller");
            original[7] = (byte) version; // same code and frames, older version byte (no lambdas in the class)
        }
        byte[] result = transformer(new ByteArrayOutputStream()).transform(null, null, "com/acme/stop/StopCaller", null, null, original);
        assertNotNull(result);
        ClassNode cls = Bytecode.read(result);
        assertEquals(version, cls.version, "the class-file version is kept");
        return cls;
    }

    /** The calls and invokedynamics of a method, as text. */
    private static List<String> calls(ClassNode cls, String method) {
        MethodNode m = Bytecode.method(cls, method);
        List<String> out = new ArrayList<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof MethodInsnNode) {
                MethodInsnNode c = (MethodInsnNode) insn;
                if (!c.name.equals("currentThread") && !c.name.equals("<init>")) {
                    out.add(org.objectweb.asm.util.Printer.OPCODES[c.getOpcode()] + " " + c.owner + "." + c.name + c.desc);
                }
            } else if (insn instanceof InvokeDynamicInsnNode) {
                InvokeDynamicInsnNode d = (InvokeDynamicInsnNode) insn;
                out.add("INVOKEDYNAMIC " + d.name + d.desc + " " + d.bsm.getOwner() + "." + d.bsm.getName());
            }
        }
        return out;
    }

    /** Ground truth by a full parse: any invokevirtual or invokespecial of stop()V or stop(Throwable)V. */
    private static boolean callsStop(byte[] classFile) {
        boolean[] found = new boolean[1];
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        if (n.equals("stop") && (d.equals("()V") || d.equals("(Ljava/lang/Throwable;)V"))) {
                            found[0] = true;
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found[0];
    }
}
