package dev.killswitch.it;

import dev.killswitch.it.support.Paths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded agent jar as shipped: its contents, its manifest, and what the bootstrap part may reference. */
class AgentJarContentsTest {

    @Test
    void holdsOnlyItsOwnPackagesAndMetadata() throws IOException {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            List<String> names = Collections.list(jar.entries()).stream().map(JarEntry::getName).collect(Collectors.toList());
            List<String> foreign = names.stream()
                    .filter(n -> !n.startsWith("dev/killswitch/") && !n.startsWith("META-INF/") && !n.equals("dev/"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), foreign, "entries outside dev/killswitch/** and META-INF/**");
            assertTrue(names.contains("dev/killswitch/shaded/asm/ClassReader.classdata"), "ASM relocated under dev.killswitch.shaded");
            assertTrue(names.stream().noneMatch(n -> n.contains("org/objectweb")), "no unrelocated ASM");
            assertTrue(names.contains("dev/killswitch/Killswitch.class"));
            assertTrue(names.contains("dev/killswitch/delivery/KillPoint.class"));
        }
    }

    /**
     * Only the premain class, the public API and the kill-point runtime are class files; everything else
     * is .classdata, which the bootstrap loader (the jar is on its search path) cannot load.
     */
    @Test
    void onlyTheBootstrapPartAndThePremainClassAreClassFiles() throws IOException {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            List<String> classFiles = Collections.list(jar.entries()).stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class")).collect(Collectors.toList());
            List<String> others = classFiles.stream()
                    .filter(n -> !n.matches("dev/killswitch/[^/]+\\.class") && !n.matches("dev/killswitch/delivery/[^/]+\\.class")
                            && !n.matches("dev/killswitch/agent/KillswitchAgent(\\$.*)?\\.class"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), others, "class files the bootstrap loader could load");
            assertTrue(Collections.list(jar.entries()).stream()
                    .anyMatch(e -> e.getName().equals("dev/killswitch/instrument/KillPointTransformer.classdata")));
            assertTrue(Collections.list(jar.entries()).stream()
                    .anyMatch(e -> e.getName().equals("dev/killswitch/control/KillswitchControl.classdata")));
            assertTrue(Collections.list(jar.entries()).stream()
                    .anyMatch(e -> e.getName().equals("dev/killswitch/cli/KillswitchCli.classdata")));
        }
    }

    @Test
    void manifestDeclaresTheAgent() throws IOException {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("dev.killswitch.agent.KillswitchAgent", main.getValue("Premain-Class"));
            assertEquals("dev.killswitch.agent.KillswitchAgent", main.getValue("Agent-Class"));
            assertEquals("dev.killswitch.agent.KillswitchAgent", main.getValue("Main-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertNotNull(main.getValue("Implementation-Version"));
        }
    }

    /** The bootstrap part must stand alone: no reference to the transformer or the shaded library. */
    @Test
    void bootstrapPartReferencesNothingButItselfAndTheJdk() throws IOException {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                boolean bootstrap = name.matches("dev/killswitch/[^/]+\\.class") || name.matches("dev/killswitch/delivery/[^/]+\\.class");
                if (!bootstrap) {
                    continue;
                }
                String constants = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
                for (String forbidden : List.of("dev/killswitch/shaded", "dev/killswitch/instrument", "dev/killswitch/config",
                        "dev/killswitch/agent", "dev/killswitch/control", "dev/killswitch/cli")) {
                    assertFalse(constants.contains(forbidden), name + " refers to " + forbidden);
                }
            }
        }
    }
}
