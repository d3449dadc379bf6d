package dev.killswitch.instrument.blocking;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockingCallSitesTest {

    @Test
    void everyRedirectionLandsOnAPublicStaticMethodOfThatExactDescriptor() throws Exception {
        int n = 0;
        for (BlockingCallSites.Redirect r : BlockingCallSites.all()) {
            Class<?> owner = Class.forName(r.owner.replace('/', '.'));
            MethodType type = MethodType.fromMethodDescriptorString(r.descriptor, getClass().getClassLoader());
            MethodHandle handle = MethodHandles.publicLookup().findStatic(owner, r.name, type);
            assertNotNull(handle, r.toString());
            n++;
        }
        assertTrue(n > 60, "redirections: " + n);
    }

    /** The replacement returns exactly what the original returns, so the caller's frames stay valid. */
    @Test
    void replacementsReturnWhatTheOriginalsReturn() {
        String[][] sites = {
            {"java/util/concurrent/LinkedBlockingQueue", "take", "()Ljava/lang/Object;"},
            {"java/util/concurrent/DelayQueue", "take", "()Ljava/util/concurrent/Delayed;"},
            {"java/util/concurrent/CompletableFuture", "join", "()Ljava/lang/Object;"},
            {"java/util/concurrent/locks/ReentrantLock", "tryLock", "(JLjava/util/concurrent/TimeUnit;)Z"},
            {"java/util/concurrent/CyclicBarrier", "await", "()I"},
            {"java/net/ServerSocket", "accept", "()Ljava/net/Socket;"},
        };
        for (String[] s : sites) {
            BlockingCallSites.Redirect r = BlockingCallSites.lookup(Opcodes.INVOKEVIRTUAL, s[0], s[1], s[2]);
            assertNotNull(r, String.join(".", s));
            assertEquals(Type.getReturnType(s[2]), Type.getReturnType(r.descriptor), r.toString());
            assertEquals(Type.getArgumentTypes(s[2]).length + 1, Type.getArgumentTypes(r.descriptor).length, "receiver first");
        }
    }

    @Test
    void matchesByOwnerNameAndDescriptor() {
        assertNotNull(BlockingCallSites.lookup(Opcodes.INVOKEINTERFACE, "java/util/concurrent/BlockingQueue", "take", "()Ljava/lang/Object;"));
        assertNotNull(BlockingCallSites.lookup(Opcodes.INVOKESTATIC, "java/lang/Thread", "sleep", "(J)V"));
        // Object.wait is final: any receiver type.
        assertNotNull(BlockingCallSites.lookup(Opcodes.INVOKEVIRTUAL, "com/acme/Job", "wait", "()V"));
        // An application subclass of a JDK queue is not known without loading it: left alone.
        assertNull(BlockingCallSites.lookup(Opcodes.INVOKEVIRTUAL, "com/acme/MyQueue", "take", "()Ljava/lang/Object;"));
        // Thread.join on a subclass type could be any method called join: left alone.
        assertNull(BlockingCallSites.lookup(Opcodes.INVOKEVIRTUAL, "com/acme/Worker", "join", "()V"));
        // super.take() in a subclass must stay a super call.
        assertNull(BlockingCallSites.lookup(Opcodes.INVOKESPECIAL, "java/util/concurrent/LinkedBlockingQueue", "take", "()Ljava/lang/Object;"));
        // A static call with an instance method's name and descriptor is something else.
        assertNull(BlockingCallSites.lookup(Opcodes.INVOKESTATIC, "java/util/concurrent/locks/ReentrantLock", "lock", "()V"));
        assertNull(BlockingCallSites.lookup(Opcodes.INVOKEVIRTUAL, "java/lang/Thread", "sleep", "(J)V"));
    }

    /** A redirect that waits again after a kill's own wake-up calls itself: the same overload, timeout included. */
    @Test
    void aRedirectThatWaitsAgainCallsItsOwnOverload() throws Exception {
        int retries = 0;
        for (String name : new String[] {"dev/killswitch/runtime/blocking/BlockingCalls", "dev/killswitch/runtime/blocking/BlockingSynchronizers"}) {
            org.objectweb.asm.tree.ClassNode cls = new org.objectweb.asm.tree.ClassNode();
            try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream(name + ".class")) {
                new org.objectweb.asm.ClassReader(in).accept(cls, 0);
            }
            for (org.objectweb.asm.tree.MethodNode m : cls.methods) {
                for (org.objectweb.asm.tree.AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof org.objectweb.asm.tree.MethodInsnNode && ((org.objectweb.asm.tree.MethodInsnNode) insn).owner.equals(name)
                            && ((org.objectweb.asm.tree.MethodInsnNode) insn).name.equals(m.name)) {
                        retries++;
                        assertEquals(m.desc, ((org.objectweb.asm.tree.MethodInsnNode) insn).desc, name + "." + m.name + " waits again through another overload");
                    }
                }
            }
        }
        assertTrue(retries > 30, "retries: " + retries);
    }

    @Test
    void theRuntimeClassesArePublicWithPublicMethods() throws Exception {
        for (String name : new String[] {"dev.killswitch.runtime.blocking.BlockingCalls", "dev.killswitch.runtime.blocking.BlockingSynchronizers",
                "dev.killswitch.runtime.blocking.BlockingIo"}) {
            Class<?> c = Class.forName(name);
            assertTrue(Modifier.isPublic(c.getModifiers()), name);
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    assertTrue(Modifier.isStatic(m.getModifiers()), m.toString());
                }
            }
        }
    }
}
