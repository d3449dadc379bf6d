package dev.killswitch.instrument;

import dev.killswitch.delivery.InstrumentedClasses;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code deadline=com.acme.ReportJob.run:30s}: wraps every overload of each configured method (not
 * constructors, not abstract or native ones) in {@link DeadlineMethodVisitor}. Every other class is
 * returned untouched after one map lookup of its name. Registered before the kill-point transformer, which
 * then sees the wrapper's exit handler as any other handler (the bytecode offsets it records for cleanup
 * code must be those of the final code).
 */
public final class DeadlineTransformer implements ClassFileTransformer {
    /** Internal class name to (method name to deadline id). */
    private final Map<String, Map<String, Integer>> methods = new HashMap<>();
    private final TransformReporter reporter;
    private final PrintStream out;
    private final boolean debug;
    private final Instrumentation instrumentation;
    private final Module runtimeModule = InstrumentedClasses.class.getModule();

    /**
     * @param deadlines the configured methods as binary class name and method name, in id order
     * @param instrumentation to let named modules read the runtime; may be null in tests
     */
    public DeadlineTransformer(List<String[]> deadlines, TransformReporter reporter, PrintStream out, boolean debug,
                               Instrumentation instrumentation) {
        for (int id = 0; id < deadlines.size(); id++) {
            String[] m = deadlines.get(id);
            String internal = m[0].replace('.', '/');
            if (!methods.containsKey(internal)) {
                methods.put(internal, new HashMap<>());
            }
            methods.get(internal).put(m[1], id);
        }
        this.reporter = reporter;
        this.out = out;
        this.debug = debug;
        this.instrumentation = instrumentation;
    }

    /** The internal names of the classes with a configured method. */
    public Set<String> classNames() {
        return methods.keySet();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        Map<String, Integer> ids = className == null ? null : methods.get(className);
        if (ids == null || ClassSelector.isNeverInstrumented(className) || KillPointTransformer.isJdkModule(module, loader)) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            int[] wrapped = new int[1];
            byte[] bytes = wrap(classfileBuffer, ids, wrapped);
            if (wrapped[0] == 0) {
                out.println("killswitch: " + name + " has no method " + String.join(" or ", ids.keySet())
                        + " with code, so its deadline never applies");
                return null;
            }
            if (module != null && module.isNamed() && !module.canRead(runtimeModule) && instrumentation != null) {
                instrumentation.redefineModule(module, Set.of(runtimeModule), Map.of(), Map.of(), Set.of(), Map.of());
            }
            if (debug) {
                out.println("killswitch: " + name + ": " + wrapped[0] + " method(s) with a deadline");
            }
            return bytes;
        } catch (Throwable t) {
            reporter.leftUnchanged(name, t);
            return null;
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    static byte[] wrap(byte[] classFile, Map<String, Integer> ids, int[] wrapped) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private boolean hasFrames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                hasFrames = (version & 0xFFFF) >= Opcodes.V1_6;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String methodName, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, methodName, descriptor, signature, exceptions);
                Integer id = ids.get(methodName);
                if (mv == null || id == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return mv;
                }
                wrapped[0]++;
                return new DeadlineMethodVisitor(mv, id, hasFrames);
            }
        }, 0);
        return writer.toByteArray();
    }
}
