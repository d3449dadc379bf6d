package dev.killswitch.instrument.retrofit;

import dev.killswitch.runtime.retrofit.Deadlines;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Wraps one method that has a deadline: {@code Deadlines.enter(id)} before its first instruction,
 * {@code Deadlines.exit(id)} before each return, and a handler around the whole body that calls
 * {@code exit(id)} and rethrows, for exceptional exits. The handler is the last entry of the exception
 * table, so every handler of the method itself comes first, and the last code of the method, so its
 * frame (no locals, the throwable on the stack) is the last frame: no other frame is computed or changed.
 */
final class DeadlineMethodVisitor extends MethodVisitor {
    static final String RUNTIME = Type.getInternalName(Deadlines.class);

    private final int id;
    private final boolean hasFrames;
    private final Label start = new Label();

    /** @param hasFrames true for class files of Java 6 and later, which carry stack-map frames */
    DeadlineMethodVisitor(MethodVisitor next, int id, boolean hasFrames) {
        super(Opcodes.ASM9, next);
        this.id = id;
        this.hasFrames = hasFrames;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        call("enter");
        super.visitLabel(start);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            call("exit"); // above the return value, if any: one more stack slot
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        Label end = new Label();
        Label handler = new Label();
        super.visitLabel(end);
        super.visitTryCatchBlock(start, end, handler, null);
        super.visitLabel(handler);
        if (hasFrames) {
            super.visitFrame(Opcodes.F_FULL, 0, new Object[0], 1, new Object[] {"java/lang/Throwable"});
        }
        call("exit");
        super.visitInsn(Opcodes.ATHROW);
        super.visitMaxs(Math.max(maxStack + 1, 2), maxLocals);
    }

    private void call(String what) {
        if (id <= 5) {
            super.visitInsn(Opcodes.ICONST_0 + id);
        } else if (id <= Byte.MAX_VALUE) {
            super.visitIntInsn(Opcodes.BIPUSH, id);
        } else {
            super.visitIntInsn(Opcodes.SIPUSH, id);
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, what, "(I)V", false);
    }
}
