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

/**
 * {@code stop-shim=true}: in every class but the JDK's and the agent's, selected or not, calls of
 * {@code Thread.stop()}, {@code Thread.stop(Throwable)} and {@code ThreadGroup.stop()} become kills (see
 * {@link StopShimMethodVisitor}). A class is parsed only if its constant pool refers to a method
 * {@code stop()} or {@code stop(Throwable)}; every other class costs one walk of its constant pool.
 */
public final class StopShimTransformer extends AgentTransformer {
    private final TransformReporter reporter;
    private final PrintStream out;
    private final boolean debug;

    /** @param instrumentation to let named modules read the runtime; may be null in tests */
    public StopShimTransformer(TransformReporter reporter, PrintStream out, boolean debug, Instrumentation instrumentation) {
        super(instrumentation);
        this.reporter = reporter;
        this.out = out;
        this.debug = debug;
    }

    @Override
    protected boolean wants(ClassLoader loader, String className, byte[] classFile) {
        return !ClassSelector.isNeverInstrumented(className) && StopCallScanner.mayCallStop(classFile);
    }

    @Override
    protected byte[] rewrite(ClassLoader loader, String className, Class<?> classBeingRedefined, byte[] classFile) {
        StopShimMethodVisitor.Counts counts = new StopShimMethodVisitor.Counts();
        byte[] rewritten = rewrite(classFile, counts);
        String name = className.replace('/', '.');
        if (debug && counts.leftAlone > 0) {
            out.println("killswitch: " + name + " calls stop() through a type that may be a subclass of Thread " + counts.leftAlone
                    + " time(s); in a Java 6 class file such a call is left as it is (calls through Thread itself are rewritten)");
        }
        if (counts.rewritten == 0) {
            return null;
        }
        if (debug) {
            out.println("killswitch: " + name + ": " + counts.rewritten + " stop() call(s) now kill (stop-shim=true)");
        }
        return rewritten;
    }

    @Override
    protected void leftUnchanged(String className, Throwable why) {
        reporter.leftUnchanged(className, why);
    }

    static byte[] rewrite(byte[] classFile, StopShimMethodVisitor.Counts counts) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private int version;
            private String name;
            private String superName;

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                this.version = version;
                this.name = name;
                this.superName = superName == null ? "" : superName;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String methodName, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, methodName, descriptor, signature, exceptions);
                return mv == null ? null : new StopShimMethodVisitor(mv, version, name, superName, counts);
            }
        }, 0);
        return writer.toByteArray();
    }
}
