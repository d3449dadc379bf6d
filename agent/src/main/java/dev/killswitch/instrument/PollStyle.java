package dev.killswitch.instrument;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The instruction sequence of one kill point, chosen by class-file version. Every form takes and
 * leaves the operand stack as it found it, so it can go anywhere, including between a conditional
 * jump's operands and the jump.
 */
enum PollStyle {
    /**
     * Java 11+ (class file 55+): {@code ldc} of a dynamic constant, the method's switch, then
     * {@code invokeExact()}. The constant is resolved once per method. Needs one stack slot.
     */
    CONSTANT_DYNAMIC("per-method switch, constant-dynamic", 1) {
        @Override
        MethodPoll bind(String methodName, String descriptor) {
            ConstantDynamic condy = new ConstantDynamic("killswitch", "Ljava/lang/invoke/MethodHandle;",
                    CONDY_BOOTSTRAP, methodName, descriptor);
            return mv -> {
                mv.visitLdcInsn(condy);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", "()V", false);
            };
        }
    },
    /** Java 7 to 10 (class file 51 to 54): one {@code invokedynamic} per kill point, all bound to the method's switch. */
    INVOKE_DYNAMIC("per-method switch, invokedynamic", 0) {
        @Override
        MethodPoll bind(String methodName, String descriptor) {
            return mv -> mv.visitInvokeDynamicInsn("killswitch", "()V", INDY_BOOTSTRAP, methodName, descriptor);
        }
    },
    /** Older class files, which have neither: a static call behind one switch shared by all of them. */
    STATIC_CALL("shared switch, invokestatic", 0) {
        @Override
        MethodPoll bind(String methodName, String descriptor) {
            return mv -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "poll", "()V", false);
        }
    };

    static final String RUNTIME = "dev/killswitch/delivery/KillPoint";
    static final Handle CONDY_BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, RUNTIME, "methodSwitch",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;Ljava/lang/String;Ljava/lang/String;)"
                    + "Ljava/lang/invoke/MethodHandle;", false);
    static final Handle INDY_BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, RUNTIME, "methodSite",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/String;Ljava/lang/String;)"
                    + "Ljava/lang/invoke/CallSite;", false);

    private final String description;
    private final int extraStack;

    PollStyle(String description, int extraStack) {
        this.description = description;
        this.extraStack = extraStack;
    }

    static PollStyle forClassFileVersion(int major) {
        if (major >= Opcodes.V11) {
            return CONSTANT_DYNAMIC;
        }
        if (major >= Opcodes.V1_7) {
            return INVOKE_DYNAMIC;
        }
        return STATIC_CALL;
    }

    abstract MethodPoll bind(String methodName, String descriptor);

    /** Operand-stack slots the kill point needs above what the method already uses. */
    int extraStack() {
        return extraStack;
    }

    String description() {
        return description;
    }

    /** Emits one kill point of a given method. */
    interface MethodPoll {
        void emit(MethodVisitor mv);
    }
}
