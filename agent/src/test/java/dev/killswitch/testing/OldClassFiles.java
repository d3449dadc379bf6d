package dev.killswitch.testing;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Class files as pre-Java 7 compilers wrote them, made with ASM: no stack-map frames, finally as jsr/ret. */
public final class OldClassFiles {
    public static final String GUARDED = "com.acme.old.Guarded";
    public static final String SWALLOWING = "com.acme.old.Swallowing";

    private OldClassFiles() {
    }

    /**
     * {@code com.acme.old.Guarded}: {@code static int run(int n)} loops n times (forever if n < 0) inside
     * a try whose finally, a jsr subroutine, counts in {@code static int finallies}; {@code static long
     * progress} moves on every iteration.
     */
    public static byte[] guardedLoop(int version) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "com/acme/old/Guarded", null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "finallies", "I", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "progress", "J", null, null).visitEnd();

        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "(I)I", null, null);
        mv.visitCode();
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        Label fin = new Label();
        Label loop = new Label();
        Label body = new Label();
        Label done = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, null);
        mv.visitLabel(tryStart);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, 1);
        mv.visitLabel(loop);
        mv.visitFieldInsn(Opcodes.GETSTATIC, "com/acme/old/Guarded", "progress", "J");
        mv.visitInsn(Opcodes.LCONST_1);
        mv.visitInsn(Opcodes.LADD);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, "com/acme/old/Guarded", "progress", "J");
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitJumpInsn(Opcodes.IFLT, body);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitJumpInsn(Opcodes.IF_ICMPGE, done);
        mv.visitLabel(body);
        mv.visitIincInsn(1, 1);
        mv.visitJumpInsn(Opcodes.GOTO, loop);
        mv.visitLabel(tryEnd);
        mv.visitLabel(done);
        mv.visitJumpInsn(Opcodes.JSR, fin);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(handler);
        mv.visitVarInsn(Opcodes.ASTORE, 2);
        mv.visitJumpInsn(Opcodes.JSR, fin);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(fin);
        mv.visitVarInsn(Opcodes.ASTORE, 3);
        mv.visitFieldInsn(Opcodes.GETSTATIC, "com/acme/old/Guarded", "finallies", "I");
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IADD);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, "com/acme/old/Guarded", "finallies", "I");
        mv.visitVarInsn(Opcodes.RET, 3);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * {@code com.acme.old.Swallowing}: {@code static void run()} loops forever inside a try whose
     * {@code catch (Throwable)} calls a jsr subroutine (counting in {@code static int finallies}) and jumps
     * back into the loop, as old compilers wrote try/catch/finally; {@code static long progress} moves on.
     */
    public static byte[] swallowingLoop(int version) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String owner = "com/acme/old/Swallowing";
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, owner, null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "finallies", "I", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "progress", "J", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()V", null, null);
        mv.visitCode();
        Label loop = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        Label fin = new Label();
        mv.visitTryCatchBlock(loop, tryEnd, handler, "java/lang/Throwable");
        mv.visitLabel(loop);
        mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "progress", "J");
        mv.visitInsn(Opcodes.LCONST_1);
        mv.visitInsn(Opcodes.LADD);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, owner, "progress", "J");
        mv.visitJumpInsn(Opcodes.GOTO, loop);
        mv.visitLabel(tryEnd);
        mv.visitLabel(handler);
        mv.visitVarInsn(Opcodes.ASTORE, 0);
        mv.visitJumpInsn(Opcodes.JSR, fin);
        mv.visitJumpInsn(Opcodes.GOTO, loop);
        mv.visitLabel(fin);
        mv.visitVarInsn(Opcodes.ASTORE, 1);
        mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "finallies", "I");
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IADD);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, owner, "finallies", "I");
        mv.visitVarInsn(Opcodes.RET, 1);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
