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
import java.util.Map;
import java.util.Set;

/**
 * {@code stop-shim=true}: in every class but the JDK's and the agent's, selected or not, calls of
 * {@code Thread.stop()}, {@code Thread.stop(Throwable)} and {@code ThreadGroup.stop()} become kills (see
 * {@link StopShimMethodVisitor}). A class is parsed only if its constant pool refers to a method
 * {@code stop()} or {@code stop(Throwable)}; every other class costs one walk of its constant pool.
 */
public final class StopShimTransformer implements ClassFileTransformer {
    private final TransformReporter reporter;
    private final PrintStream out;
    private final boolean debug;
    private final Instrumentation instrumentation;
    private final Module runtimeModule = InstrumentedClasses.class.getModule();

    /** @param instrumentation to let named modules read the runtime; may be null in tests */
    public StopShimTransformer(TransformReporter reporter, PrintStream out, boolean debug, Instrumentation instrumentation) {
        this.reporter = reporter;
        this.out = out;
        this.debug = debug;
        this.instrumentation = instrumentation;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || ClassSelector.isNeverInstrumented(className) || KillPointTransformer.isJdkModule(module, loader)
                || !StopCallScanner.mayCallStop(classfileBuffer)) {
            return null;
        }
        try {
            StopShimMethodVisitor.Counts counts = new StopShimMethodVisitor.Counts();
            byte[] rewritten = rewrite(classfileBuffer, counts);
            String name = className.replace('/', '.');
            if (debug && counts.leftAlone > 0) {
                out.println("killswitch: " + name + " calls stop() through a type that may be a subclass of Thread " + counts.leftAlone
                        + " time(s); in a Java 6 class file such a call is left as it is (calls through Thread itself are rewritten)");
            }
            if (counts.rewritten == 0) {
                return null;
            }
            if (module != null && module.isNamed() && !module.canRead(runtimeModule) && instrumentation != null) {
                instrumentation.redefineModule(module, Set.of(runtimeModule), Map.of(), Map.of(), Set.of(), Map.of());
            }
            if (debug) {
                out.println("killswitch: " + name + ": " + counts.rewritten + " stop() call(s) now kill (stop-shim=true)");
            }
            return rewritten;
        } catch (Throwable t) {
            reporter.leftUnchanged(className.replace('/', '.'), t);
            return null;
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
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
