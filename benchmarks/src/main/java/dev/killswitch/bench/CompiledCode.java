package dev.killswitch.bench;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import javax.management.ObjectName;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Gives a probe's JVM as much JIT-compiled code as an application has: arming a switch is a {@code
 * MutableCallSite.setTarget}, and when compiled code depends on the site the JVM looks through its whole code cache for
 * the code to deoptimise, so the cost of an isolated kill grows with the amount of compiled code. A small JVM, as a
 * probe's is, hides that.
 */
final class CompiledCode {
    /** Each method is called this often: past C1's thresholds (200 calls) even when its queue raises them a little. */
    private static final int CALLS = 3_000;
    private static final MethodType INT_INT = MethodType.methodType(int.class, int.class);

    private static volatile int sink;

    private CompiledCode() {
    }

    /** Defines a class of {@code methods} small methods (no kill points: nothing selects it), runs each until compiled. */
    static void add(int methods) throws Throwable {
        if (methods <= 0) {
            return;
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(filler(methods), true);
        int s = 0;
        for (int m = 0; m < methods; m++) {
            MethodHandle h = lookup.findStatic(lookup.lookupClass(), "m" + m, INT_INT);
            for (int i = 0; i < CALLS; i++) {
                s += (int) h.invokeExact(i);
            }
        }
        sink = s;
        // The compile queue drains on its own time: wait until the count of compiled methods stops growing.
        int before = -1;
        for (int waited = 0; waited < 60; waited++) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            int now = nmethods();
            if (now == before) {
                return;
            }
            before = now;
        }
    }

    /**
     * The JVM's count of compiled code ({@code jcmd PID Compiler.codelist}): an entry for each method and tier it was
     * compiled at; -1 if the JVM will not say.
     */
    static int nmethods() {
        try {
            String list = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerCodelist",
                    new Object[] {null}, new String[] {String[].class.getName()});
            return (int) list.lines().filter(l -> !l.isBlank()).count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** {@code static int mK(int x) { int s = x; for (int i = 0; i < (x & 7); i++) s = s * C + i; return s; }}, K below {@code methods}. */
    private static byte[] filler(int methods) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, "dev/killswitch/bench/CompiledCodeFiller", null, "java/lang/Object", null);
        for (int m = 0; m < methods; m++) {
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "m" + m, "(I)I", null, null);
            mv.visitCode();
            Label test = new Label();
            Label end = new Label();
            mv.visitVarInsn(Opcodes.ILOAD, 0);
            mv.visitVarInsn(Opcodes.ISTORE, 1);
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitVarInsn(Opcodes.ISTORE, 2);
            mv.visitLabel(test);
            mv.visitVarInsn(Opcodes.ILOAD, 2);
            mv.visitVarInsn(Opcodes.ILOAD, 0);
            mv.visitIntInsn(Opcodes.BIPUSH, 7);
            mv.visitInsn(Opcodes.IAND);
            mv.visitJumpInsn(Opcodes.IF_ICMPGE, end);
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitLdcInsn(m * 2 + 3);
            mv.visitInsn(Opcodes.IMUL);
            mv.visitVarInsn(Opcodes.ILOAD, 2);
            mv.visitInsn(Opcodes.IADD);
            mv.visitVarInsn(Opcodes.ISTORE, 1);
            mv.visitIincInsn(2, 1);
            mv.visitJumpInsn(Opcodes.GOTO, test);
            mv.visitLabel(end);
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }
}
