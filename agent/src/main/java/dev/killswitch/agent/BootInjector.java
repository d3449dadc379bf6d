package dev.killswitch.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the bootstrap runtime (the public API and everything under the bootstrap root) in the boot
 * loader class by class, instead of appending the agent jar to the bootstrap search path. Appending makes
 * every JVM print "Sharing is only supported for boot loader classes because bootstrap classpath has been
 * appended" and turns class-data sharing off for the application's classes.
 *
 * <p>The JDK's own {@code jdk.internal.misc.Unsafe.defineClass} with a null loader does it. Its package is
 * exported to this loader's unnamed module only (not to the application), and it is called from a class
 * generated here, so that the calls link directly rather than through reflection. Every class is defined
 * before any is used, supertypes first: the boot loader cannot look up one that is not defined yet.
 */
public final class BootInjector {
    private static final String DEFINER = "dev/killswitch/agent/BootDefiner";

    private BootInjector() {
    }

    /**
     * Called reflectively by {@link KillswitchAgent}, in the agent's class loader.
     *
     * @param bootstrapRoot the package root of the runtime, from the manifest
     */
    public static void inject(Instrumentation instrumentation, File agentJar, String bootstrapRoot) throws Exception {
        Map<String, byte[]> classes = bootstrapClasses(agentJar, bootstrapRoot.replace('.', '/') + "/");
        instrumentation.redefineModule(Object.class.getModule(), Set.of(),
                Map.of("jdk.internal.misc", Set.of(BootInjector.class.getModule())), Map.of(), Set.of(), Map.of());
        BiConsumer<String, byte[]> definer = definer();
        for (Map.Entry<String, byte[]> c : supertypesFirst(classes).entrySet()) {
            definer.accept(c.getKey().replace('/', '.'), c.getValue());
        }
    }

    private static Map<String, byte[]> bootstrapClasses(File agentJar, String rootDir) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(agentJar)) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                boolean api = name.startsWith("dev/killswitch/") && name.indexOf('/', "dev/killswitch/".length()) < 0;
                if (name.endsWith(".class") && (api || name.startsWith(rootDir)) && !name.endsWith("package-info.class")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        classes.put(name.substring(0, name.length() - ".class".length()), in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    /** The classes in an order where each comes after its superclass and interfaces among them. */
    static Map<String, byte[]> supertypesFirst(Map<String, byte[]> classes) {
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        Set<String> visiting = new HashSet<>();
        for (String name : classes.keySet()) {
            visit(name, classes, ordered, visiting);
        }
        return ordered;
    }

    private static void visit(String name, Map<String, byte[]> classes, Map<String, byte[]> ordered, Set<String> visiting) {
        if (ordered.containsKey(name) || !classes.containsKey(name) || !visiting.add(name)) {
            return;
        }
        ClassReader reader = new ClassReader(classes.get(name));
        List<String> supertypes = new ArrayList<>();
        if (reader.getSuperName() != null) {
            supertypes.add(reader.getSuperName());
        }
        Collections.addAll(supertypes, reader.getInterfaces());
        for (String s : supertypes) {
            visit(s, classes, ordered, visiting);
        }
        ordered.put(name, classes.get(name));
    }

    /** {@code (name, bytes) -> Unsafe.getUnsafe().defineClass(name, bytes, 0, bytes.length, null, null)}, linked directly. */
    @SuppressWarnings("unchecked")
    private static BiConsumer<String, byte[]> definer() throws Exception {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, DEFINER, null, "java/lang/Object",
                new String[] {"java/util/function/BiConsumer"});
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor accept = cw.visitMethod(Opcodes.ACC_PUBLIC, "accept", "(Ljava/lang/Object;Ljava/lang/Object;)V", null, null);
        accept.visitCode();
        accept.visitMethodInsn(Opcodes.INVOKESTATIC, "jdk/internal/misc/Unsafe", "getUnsafe", "()Ljdk/internal/misc/Unsafe;", false);
        accept.visitVarInsn(Opcodes.ALOAD, 1);
        accept.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String");
        accept.visitVarInsn(Opcodes.ALOAD, 2);
        accept.visitTypeInsn(Opcodes.CHECKCAST, "[B");
        accept.visitInsn(Opcodes.ICONST_0);
        accept.visitVarInsn(Opcodes.ALOAD, 2);
        accept.visitTypeInsn(Opcodes.CHECKCAST, "[B");
        accept.visitInsn(Opcodes.ARRAYLENGTH);
        accept.visitInsn(Opcodes.ACONST_NULL);
        accept.visitInsn(Opcodes.ACONST_NULL);
        accept.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "jdk/internal/misc/Unsafe", "defineClass",
                "(Ljava/lang/String;[BIILjava/lang/ClassLoader;Ljava/security/ProtectionDomain;)Ljava/lang/Class;", false);
        accept.visitInsn(Opcodes.POP);
        accept.visitInsn(Opcodes.RETURN);
        accept.visitMaxs(0, 0);
        accept.visitEnd();
        cw.visitEnd();
        Class<?> definer = MethodHandles.lookup().defineClass(cw.toByteArray());
        return (BiConsumer<String, byte[]>) definer.getDeclaredConstructor().newInstance();
    }
}
