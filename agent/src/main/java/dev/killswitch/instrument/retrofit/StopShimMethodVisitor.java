package dev.killswitch.instrument.retrofit;

import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.runtime.retrofit.StopShim;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the {@code stop()} and {@code stop(Throwable)} calls of one method into calls of
 * {@code dev.killswitch.runtime.retrofit.StopShim}, which kill instead. By the type the instruction names:
 * <ul>
 *   <li>{@code Thread}, {@code ThreadGroup}, or the class itself when it extends one of them: a static call
 *       with the same operands;
 *   <li>any other non-JDK type (it may be a subclass of Thread, and {@code Thread.stop} is final, so
 *       that is the method it calls), in class files with invokedynamic: an {@code invokedynamic} that
 *       decides when linked, with the class loaded, and otherwise calls the original method;
 *   <li>the same in class files before Java 6, which have no stack-map frames: a test of the receiver at
 *       run time, then the shim or the original instruction;
 *   <li>the same in Java 6 class files: left alone, since the branch would need a frame that cannot be
 *       known without loading classes.
 * </ul>
 * JDK types other than Thread and ThreadGroup are never touched.
 */
final class StopShimMethodVisitor extends MethodVisitor {
    static final String RUNTIME = Type.getInternalName(StopShim.class);
    private static final String THREAD = "java/lang/Thread";
    private static final String GROUP = "java/lang/ThreadGroup";
    private static final String NO_ARGS = "()V";
    private static final String WITH_THROWABLE = "(Ljava/lang/Throwable;)V";
    private static final Handle LINK = new Handle(Opcodes.H_INVOKESTATIC, RUNTIME, "link",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;", false);

    /** Calls rewritten, and calls through a non-JDK type left alone (Java 6 class files). */
    static final class Counts {
        int rewritten;
        int leftAlone;
    }

    private final int classFileVersion;
    private final String className;
    private final String superName;
    private final Counts counts;
    private boolean grewStack;

    StopShimMethodVisitor(MethodVisitor next, int classFileVersion, String className, String superName, Counts counts) {
        super(Opcodes.ASM9, next);
        this.classFileVersion = classFileVersion & 0xFFFF;
        this.className = className;
        this.superName = superName;
        this.counts = counts;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        if (!name.equals("stop") || isInterface || !(descriptor.equals(NO_ARGS) || descriptor.equals(WITH_THROWABLE))
                || (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKESPECIAL)) {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            return;
        }
        boolean withThrowable = descriptor.equals(WITH_THROWABLE);
        String known = owner.equals(className) && (superName.equals(THREAD) || superName.equals(GROUP)) ? superName : owner;
        if (known.equals(THREAD) || known.equals(GROUP) && !withThrowable) {
            // Same operands: the receiver (a Thread or ThreadGroup) and the argument, if any.
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "stop", "(L" + known + ";" + descriptor.substring(1), false);
            counts.rewritten++;
        } else if (opcode != Opcodes.INVOKEVIRTUAL || owner.startsWith("[") || ClassSelector.isNeverInstrumented(owner)) {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        } else if (classFileVersion >= Opcodes.V1_7) {
            super.visitInvokeDynamicInsn("stop", "(L" + owner + ";" + descriptor.substring(1), LINK);
            counts.rewritten++;
        } else if (classFileVersion < Opcodes.V1_6) {
            testAtRunTime(owner, descriptor, withThrowable);
            counts.rewritten++;
        } else {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            counts.leftAlone++;
        }
    }

    /** Only in class files without stack-map frames, where a new branch needs none. */
    private void testAtRunTime(String owner, String descriptor, boolean withThrowable) {
        Label plain = new Label();
        Label done = new Label();
        if (withThrowable) {
            super.visitInsn(Opcodes.SWAP); // receiver on top
        }
        super.visitInsn(Opcodes.DUP);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "isStoppable", "(Ljava/lang/Object;)Z", false);
        super.visitJumpInsn(Opcodes.IFEQ, plain);
        if (withThrowable) {
            super.visitInsn(Opcodes.SWAP);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "stopObject", "(Ljava/lang/Object;Ljava/lang/Throwable;)V", false);
        } else {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "stopObject", "(Ljava/lang/Object;)V", false);
        }
        super.visitJumpInsn(Opcodes.GOTO, done);
        super.visitLabel(plain);
        if (withThrowable) {
            super.visitInsn(Opcodes.SWAP);
        }
        super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "stop", descriptor, false);
        super.visitLabel(done);
        grewStack = true;
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(grewStack ? maxStack + 1 : maxStack, maxLocals);
    }
}
