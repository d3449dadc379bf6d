package dev.killswitch.instrument.retrofit;

import dev.killswitch.instrument.AgentTransformer;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
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
public final class DeadlineTransformer extends AgentTransformer {
    /** Internal class name to (method name to deadline id). */
    private final Map<String, Map<String, Integer>> methods = new HashMap<>();
    private final TransformReporter reporter;
    private final PrintStream out;
    private final boolean debug;

    /**
     * @param deadlines the configured methods as binary class name and method name, in id order
     * @param instrumentation to let named modules read the runtime; may be null in tests
     */
    public DeadlineTransformer(List<String[]> deadlines, TransformReporter reporter, PrintStream out, boolean debug,
                               Instrumentation instrumentation) {
        super(instrumentation);
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
    }

    /** The internal names of the classes with a configured method. */
    public Set<String> classNames() {
        return methods.keySet();
    }

    @Override
    protected boolean wants(ClassLoader loader, String className, byte[] classFile) {
        return methods.containsKey(className) && !ClassSelector.isNeverInstrumented(className);
    }

    @Override
    protected byte[] rewrite(ClassLoader loader, String className, Class<?> classBeingRedefined, byte[] classFile) {
        Map<String, Integer> ids = methods.get(className);
        String name = className.replace('/', '.');
        int[] wrapped = new int[1];
        byte[] bytes = wrap(classFile, ids, wrapped);
        if (wrapped[0] == 0) {
            out.println("killswitch: " + name + " has no method " + String.join(" or ", ids.keySet())
                    + " with code, so its deadline never applies");
            return null;
        }
        if (debug) {
            out.println("killswitch: " + name + ": " + wrapped[0] + " method(s) with a deadline");
        }
        return bytes;
    }

    @Override
    protected void leftUnchanged(String className, Throwable why) {
        reporter.leftUnchanged(className, why);
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
