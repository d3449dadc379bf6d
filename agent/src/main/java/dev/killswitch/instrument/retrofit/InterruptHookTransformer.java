package dev.killswitch.instrument.retrofit;

import dev.killswitch.runtime.retrofit.InterruptKills;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Set;

/**
 * {@code interrupt-kills=true}, the one place where the agent changes JDK classes: the first instruction
 * of {@code Thread.interrupt()} and of {@code VirtualThread.interrupt()} (JDK 21+, which overrides it)
 * becomes a call of {@code dev.killswitch.runtime.retrofit.InterruptKills.interrupting(this)}. Nothing else in
 * those classes changes, and no other class is looked at beyond its name.
 */
public final class InterruptHookTransformer implements ClassFileTransformer {
    /** The JDK classes that declare {@code interrupt()}. */
    public static final Set<String> HOOKED = Set.of("java/lang/Thread", "java/lang/VirtualThread");
    static final String RUNTIME = Type.getInternalName(InterruptKills.class);

    private final PrintStream out;

    /** @param out where to say that a class could not be hooked */
    public InterruptHookTransformer(PrintStream out) {
        this.out = out;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader != null || className == null || !HOOKED.contains(className)) {
            return null;
        }
        try {
            return hook(classfileBuffer);
        } catch (Throwable t) {
            out.println("killswitch: interrupt-kills=true could not hook " + className.replace('/', '.')
                    + ".interrupt(), so its interrupts stay plain interrupts: " + t);
            return null;
        }
    }

    /** The class with the hook at the start of {@code interrupt()}; null if it declares no such method. */
    static byte[] hook(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] hooked = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!name.equals("interrupt") || !descriptor.equals("()V") || (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) != 0) {
                    return mv;
                }
                hooked[0] = true;
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        // Before the first instruction, sharing its frame: takes `this`, leaves the stack as it was.
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "interrupting", "(Ljava/lang/Thread;)V", false);
                    }

                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        super.visitMaxs(Math.max(1, maxStack), maxLocals);
                    }
                };
            }
        }, 0);
        return hooked[0] ? writer.toByteArray() : null;
    }
}
