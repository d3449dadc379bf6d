package dev.killswitch.instrument.killpoints;

import dev.killswitch.instrument.flow.ConditionalJumps;
import dev.killswitch.runtime.killpoints.KillPoint;
import dev.killswitch.runtime.registry.SwitchNumbers;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The instruction sequence of one kill point: numbered in every class-file version, and without numbers, once they
 * run out, by class-file version. Every form takes and leaves the operand stack as it found it, so it can go
 * anywhere, including between a conditional jump's operands and the jump.
 *
 * <p>Why {@code invokedynamic} in the fallback: bound to a {@code MutableCallSite} whose target is empty, it compiles
 * to nothing in C2 and is inlined by C1 too (1.03x on a recursive micro-kernel), where an {@code invokeExact} on a
 * constant method handle is not (6x in C1, 12x in profiled C1, 16x in the interpreter); but C1's profiling tier
 * counts every method of the chain it inlines, about 650 bytes of code a kill point, which the numbered form
 * avoids. The bootstrap takes no static arguments, the JDK's fast linking path.
 */
public enum PollStyle {
    /**
     * Every class-file version: the method's number and a static call (see {@code SwitchNumbers}: C1 compiles a call,
     * not a chain of method handles with counters), or the version's fallback once numbers run out.
     */
    NUMBERED("per-method switch, numbered call") {
        @Override
        MethodPoll bind(String owner, String methodName, int major) {
            int number = SwitchNumbers.number(owner.replace('/', '.'), methodName);
            return number >= 0 ? new NumberedPoll(number) : withoutNumbers(major).bind(owner, methodName, major);
        }
    },
    /** {@code invokedynamic}, all sites of a method bound to that method's switch (Java 7+, class file 51+). */
    INVOKE_DYNAMIC("per-method switch, invokedynamic") {
        @Override
        MethodPoll bind(String owner, String methodName, int major) {
            return new IndyPoll(siteName(methodName));
        }
    },
    /** Older class files, which have no invokedynamic: a static call behind one switch shared by all of them. */
    STATIC_CALL("shared switch, invokestatic") {
        @Override
        MethodPoll bind(String owner, String methodName, int major) {
            return StaticPoll.INSTANCE;
        }
    };

    public static final String RUNTIME = Type.getInternalName(KillPoint.class);
    static final Handle BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, RUNTIME, "methodSite",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
            false);

    private final String description;

    PollStyle(String description) {
        this.description = description;
    }

    /** The form without numbers for class-file version {@code major}: when numbers run out, or in tests of that form. */
    static PollStyle withoutNumbers(int major) {
        return major >= Opcodes.V1_7 ? INVOKE_DYNAMIC : STATIC_CALL;
    }

    /**
     * The call-site name that tells the bootstrap which method it is in. Call sites carry a method name,
     * which may not be {@code <init>} or {@code <clinit>}; {@code KillPoint.methodSite} maps these back.
     */
    static String siteName(String methodName) {
        if (methodName.equals("<init>")) {
            return "$init$";
        }
        if (methodName.equals("<clinit>")) {
            return "$clinit$";
        }
        return methodName;
    }

    /**
     * The kill points of the methods named {@code methodName} in class {@code owner} (internal name), in one
     * transformation of a class file of version {@code major}.
     */
    abstract MethodPoll bind(String owner, String methodName, int major);

    String description() {
        return description;
    }

    /**
     * Emits the kill points of a given method. (Classes, not lambdas: no lambda bootstrap in the first
     * transformation.) Each form leaves the stack as it found it; a conditional one consumes the copies of
     * a branch's operands that the caller pushed, and acts only on the path where {@code code} says.
     */
    interface MethodPoll {
        /** An unconditional kill point. */
        void emit(MethodVisitor mv);

        /** After a copy of the operands of the conditional jump {@code opcode}: acts only if that jump is taken. */
        void emitIf(MethodVisitor mv, int opcode);

        /** After a copy of a switch's key: acts only for the keys {@code spec} lists (see ConditionalJumps.switchSpec). */
        void emitIfSwitch(MethodVisitor mv, String spec);

        /** Operand-stack slots every kill point of this form needs beyond a conditional one's copies and opcode. */
        default int extraStack() {
            return 0;
        }

        /** The form these kill points take. */
        PollStyle style();
    }

    static String conditionalDescriptor(int opcode) {
        return "(" + ConditionalJumps.operands(opcode) + "I)V";
    }

    static final String SWITCH_DESCRIPTOR = "(ILjava/lang/String;)V";

    private static final class IndyPoll implements MethodPoll {
        private final String siteName;

        IndyPoll(String siteName) {
            this.siteName = siteName;
        }

        @Override
        public PollStyle style() {
            return INVOKE_DYNAMIC;
        }

        @Override
        public void emit(MethodVisitor mv) {
            mv.visitInvokeDynamicInsn(siteName, "()V", BOOTSTRAP);
        }

        @Override
        public void emitIf(MethodVisitor mv, int opcode) {
            mv.visitIntInsn(Opcodes.SIPUSH, opcode);
            mv.visitInvokeDynamicInsn(siteName, conditionalDescriptor(opcode), BOOTSTRAP);
        }

        @Override
        public void emitIfSwitch(MethodVisitor mv, String spec) {
            mv.visitLdcInsn(spec);
            mv.visitInvokeDynamicInsn(siteName, SWITCH_DESCRIPTOR, BOOTSTRAP);
        }
    }

    private static final class NumberedPoll implements MethodPoll {
        private final int number;

        NumberedPoll(int number) {
            this.number = number;
        }

        @Override
        public int extraStack() {
            return 1; // the number
        }

        @Override
        public PollStyle style() {
            return NUMBERED;
        }

        @Override
        public void emit(MethodVisitor mv) {
            mv.visitLdcInsn(number);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "at", "(I)V", false);
        }

        @Override
        public void emitIf(MethodVisitor mv, int opcode) {
            mv.visitIntInsn(Opcodes.SIPUSH, opcode);
            mv.visitLdcInsn(number);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "atIf", numberedDescriptor(conditionalDescriptor(opcode)), false);
        }

        @Override
        public void emitIfSwitch(MethodVisitor mv, String spec) {
            mv.visitLdcInsn(spec);
            mv.visitLdcInsn(number);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "atIfSwitch", numberedDescriptor(SWITCH_DESCRIPTOR), false);
        }

        private static String numberedDescriptor(String descriptor) {
            return descriptor.replace(")V", "I)V");
        }
    }

    private static final class StaticPoll implements MethodPoll {
        static final StaticPoll INSTANCE = new StaticPoll();

        @Override
        public PollStyle style() {
            return STATIC_CALL;
        }

        @Override
        public void emit(MethodVisitor mv) {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "poll", "()V", false);
        }

        @Override
        public void emitIf(MethodVisitor mv, int opcode) {
            mv.visitIntInsn(Opcodes.SIPUSH, opcode);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "pollIf", conditionalDescriptor(opcode), false);
        }

        @Override
        public void emitIfSwitch(MethodVisitor mv, String spec) {
            mv.visitLdcInsn(spec);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "pollIfSwitch", SWITCH_DESCRIPTOR, false);
        }
    }
}
