package dev.killswitch.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
final class BootInjector {
    private static final String DEFINER = "dev/killswitch/agent/BootDefiner";

    private BootInjector() {
    }

    /** Defines the API and everything under the bootstrap root that the jar's manifest names, in the boot loader. */
    static void inject(Instrumentation instrumentation, File agentJar) throws Exception {
        Map<String, byte[]> classes = bootstrapClasses(agentJar);
        instrumentation.redefineModule(Object.class.getModule(), Set.of(),
                Map.of("jdk.internal.misc", Set.of(BootInjector.class.getModule())), Map.of(), Set.of(), Map.of());
        BiConsumer<String, byte[]> definer = definer();
        // Supertypes first: a class whose superclass or interface is not defined yet is not defined, and waits
        // for the next round (the runtime's hierarchy is two or three deep).
        Map<String, byte[]> left = new LinkedHashMap<>(classes);
        while (!left.isEmpty()) {
            Throwable failure = null;
            for (Iterator<Map.Entry<String, byte[]>> it = left.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, byte[]> c = it.next();
                try {
                    definer.accept(c.getKey().replace('/', '.'), c.getValue());
                    it.remove();
                } catch (NoClassDefFoundError notYet) {
                    failure = notYet;
                }
            }
            if (failure != null && left.size() == classes.size()) {
                throw new IllegalStateException("no class of the runtime could be defined", failure);
            }
            classes = new LinkedHashMap<>(left);
        }
    }

    private static Map<String, byte[]> bootstrapClasses(File agentJar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(agentJar)) {
            String rootDir = jar.getManifest().getMainAttributes().getValue(KillswitchAgent.BOOTSTRAP_ROOT).replace('.', '/') + "/";
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                boolean api = name.startsWith("dev/killswitch/") && name.indexOf('/', "dev/killswitch/".length()) < 0;
                if (name.endsWith(".class") && (api || name.startsWith(rootDir)) && !name.endsWith("package-info.class")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        classes.put(name.substring(0, name.length() - ".class".length()), JitConstants.markedForJit(in.readAllBytes()));
                    }
                }
            }
        }
        return classes;
    }

    /**
     * {@code (name, bytes) -> Unsafe.getUnsafe().defineClass(name, bytes, 0, bytes.length, null, null)}, linked
     * directly. Its class file is written out here (javac will not compile a call into jdk.internal.misc
     * for --release 17, and the bytecode library is not loaded for so little).
     */
    @SuppressWarnings("unchecked")
    private static BiConsumer<String, byte[]> definer() throws Exception {
        Class<?> definer = MethodHandles.lookup().defineClass(definerClassFile());
        return (BiConsumer<String, byte[]>) definer.getDeclaredConstructor().newInstance();
    }

    static byte[] definerClassFile() throws IOException {
        String[] utf8 = {DEFINER, "java/lang/Object", "java/util/function/BiConsumer", "<init>", "()V",
            "jdk/internal/misc/Unsafe", "getUnsafe", "()Ljdk/internal/misc/Unsafe;", "java/lang/String", "[B", "defineClass",
            "(Ljava/lang/String;[BIILjava/lang/ClassLoader;Ljava/security/ProtectionDomain;)Ljava/lang/Class;",
            "accept", "(Ljava/lang/Object;Ljava/lang/Object;)V", "Code"};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(55); // Java 11: straight-line code needs no stack map frames
        // Constant pool: the 15 strings (#1-#15), six classes (#16-#21), three method references (#22-#27).
        out.writeShort(28);
        for (String s : utf8) {
            out.writeByte(1);
            out.writeUTF(s);
        }
        int thisClass = 16;
        int object = 17;
        int biConsumer = 18;
        int unsafe = 19;
        int string = 20;
        int byteArray = 21;
        for (int name : new int[] {1, 2, 3, 6, 9, 10}) {
            out.writeByte(7); // Class
            out.writeShort(name);
        }
        int objectInit = 22;
        int getUnsafe = 23;
        int defineClass = 24;
        int[][] methods = {{object, 4, 5}, {unsafe, 7, 8}, {unsafe, 11, 12}};
        for (int i = 0; i < methods.length; i++) {
            out.writeByte(10); // Methodref, to the NameAndType after the three of them
            out.writeShort(methods[i][0]);
            out.writeShort(25 + i);
        }
        for (int[] m : methods) {
            out.writeByte(12); // NameAndType
            out.writeShort(m[1]);
            out.writeShort(m[2]);
        }
        out.writeShort(0x0030); // final, super
        out.writeShort(thisClass);
        out.writeShort(object);
        out.writeShort(1);
        out.writeShort(biConsumer);
        out.writeShort(0); // fields
        out.writeShort(2); // methods
        method(out, 4, 5, 1, 1, new byte[] {0x2a, (byte) 0xb7, 0, (byte) objectInit, (byte) 0xb1});
        method(out, 13, 14, 7, 3, new byte[] {
            (byte) 0xb8, 0, (byte) getUnsafe,      // invokestatic Unsafe.getUnsafe
            0x2b, (byte) 0xc0, 0, (byte) string,   // aload_1, checkcast String
            0x2c, (byte) 0xc0, 0, (byte) byteArray, // aload_2, checkcast byte[]
            0x03,                                  // iconst_0
            0x2c, (byte) 0xc0, 0, (byte) byteArray, (byte) 0xbe, // aload_2, checkcast byte[], arraylength
            0x01, 0x01,                            // null loader (the boot loader), null protection domain
            (byte) 0xb6, 0, (byte) defineClass,    // invokevirtual Unsafe.defineClass
            0x57, (byte) 0xb1});                   // pop, return
        out.writeShort(0); // attributes
        return bytes.toByteArray();
    }

    private static void method(DataOutputStream out, int name, int type, int maxStack, int maxLocals, byte[] code) throws IOException {
        out.writeShort(0x0001); // public
        out.writeShort(name);
        out.writeShort(type);
        out.writeShort(1);
        out.writeShort(15); // "Code"
        out.writeInt(2 + 2 + 4 + code.length + 2 + 2);
        out.writeShort(maxStack);
        out.writeShort(maxLocals);
        out.writeInt(code.length);
        out.write(code);
        out.writeShort(0); // exception table
        out.writeShort(0); // attributes
    }
}
