package dev.killswitch.instrument.ondemand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which classes count as another agent's, on real classes loaded from real jars: a jar whose declared agent class is
 * loaded is an agent's; a library that only declares one (as kotlinx-coroutines and Mockito do) is not.
 */
class OtherAgentsCodeRulesTest {
    @TempDir
    Path dir;

    @Test
    void aJarWhoseAgentClassIsLoadedIsAnAgents() throws Exception {
        Path jar = jar("agent.jar", "com.other.Agent", "com.other.Agent", "com.other.Helper");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Class<?> agent = loader.loadClass("com.other.Agent");
            Class<?> helper = loader.loadClass("com.other.Helper");
            assertTrue(new OtherAgentsCode().owns(helper, new Class<?>[] {agent, helper}));
        }
    }

    @Test
    void aLibraryThatOnlyDeclaresAnAgentIsNotOne() throws Exception {
        Path jar = jar("library.jar", "com.lib.AgentPremain", "com.lib.AgentPremain", "com.lib.Work");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Class<?> work = loader.loadClass("com.lib.Work");
            assertFalse(new OtherAgentsCode().owns(work, new Class<?>[] {work}), "its agent class was never loaded");
        }
    }

    @Test
    void aJarWithoutAnAgentIsNotOne() throws Exception {
        Path jar = jar("app.jar", null, "com.app.Work");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Class<?> work = loader.loadClass("com.app.Work");
            assertFalse(new OtherAgentsCode().owns(work, new Class<?>[] {work}));
        }
    }

    @Test
    void aTransformerIsAnAgentsWhereverItComesFrom() {
        ClassFileTransformer transformer = new ClassFileTransformer() {
        };
        assertTrue(new OtherAgentsCode().owns(transformer.getClass(), new Class<?>[0]));
        assertFalse(new OtherAgentsCode().owns(OtherAgentsCodeRulesTest.class, new Class<?>[0]), "a class from a folder");
    }

    /** A jar of empty public classes, with {@code Premain-Class: premain} in its manifest unless null. */
    private Path jar(String name, String premain, String... classes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (premain != null) {
            manifest.getMainAttributes().putValue("Premain-Class", premain);
        }
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (String c : classes) {
                ClassWriter cw = new ClassWriter(0);
                cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, c.replace('.', '/'), null, "java/lang/Object", null);
                cw.visitEnd();
                out.putNextEntry(new JarEntry(c.replace('.', '/') + ".class"));
                out.write(cw.toByteArray());
                out.closeEntry();
            }
        }
        return jar;
    }
}
