package dev.killswitch.it;

import dev.killswitch.testsupport.Paths;
import dev.killswitch.runtime.RuntimePackages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded agent jar as shipped: its contents, its manifest, and what the bootstrap part may reference. */
class AgentJarContentsTest {
    private static final Pattern AGENT_CLASS = Pattern.compile("dev/killswitch/[A-Za-z0-9_/$]+");

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
            assertTrue(names.contains("dev/killswitch/runtime/killpoints/KillPoint.class"));
        }
    }

    /**
     * Only the premain class, the public API and the runtime under the manifest's bootstrap root are class
     * files; everything else is .classdata, which the bootstrap loader (the jar is on its search path)
     * cannot load. The rule comes from the manifest, as the premain class reads it.
     */
    @Test
    void onlyTheBootstrapPartAndThePremainClassAreClassFiles() throws IOException {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            String premain = main.getValue("Premain-Class").replace('.', '/');
            List<String> classFiles = Collections.list(jar.entries()).stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class")).collect(Collectors.toList());
            List<String> others = classFiles.stream()
                    .filter(n -> !isBootstrap(jar, n) && !n.equals(premain + ".class") && !n.startsWith(premain + "$"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), others, "class files the bootstrap loader could load");
            String runtime = root(jar);
            assertTrue(classFiles.stream().anyMatch(n -> n.startsWith(runtime + "/delivery/")), "the runtime's sub-packages are class files");
            assertTrue(Collections.list(jar.entries()).stream()
                    .anyMatch(e -> e.getName().equals("dev/killswitch/instrument/killpoints/KillPointTransformer.classdata")));
            assertTrue(Collections.list(jar.entries()).stream()
                    .anyMatch(e -> e.getName().equals("dev/killswitch/control/KillswitchControl.classdata")));
            assertTrue(Collections.list(jar.entries()).stream()
                    .anyMatch(e -> e.getName().equals("dev/killswitch/cli/KillswitchCli.classdata")));
        }
    }

    @Test
    void theManifestsBootstrapRootIsTheRuntimes() throws IOException {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            assertEquals(RuntimePackages.ROOT.replace('.', '/'), root(jar));
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

    /** The bootstrap part must stand alone: it refers to no class of the agent's but the API and the runtime. */
    @Test
    void bootstrapPartReferencesNothingButItselfAndTheJdk() throws IOException {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                if (!name.endsWith(".class") || !isBootstrap(jar, name)) {
                    continue;
                }
                String constants = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
                Matcher m = AGENT_CLASS.matcher(constants);
                while (m.find()) {
                    assertTrue(isBootstrap(jar, m.group() + ".class"), name + " refers to " + m.group());
                }
            }
        }
    }

    private static String root(JarFile jar) throws IOException {
        String root = jar.getManifest().getMainAttributes().getValue("Killswitch-Bootstrap-Root");
        assertNotNull(root, "the manifest names the bootstrap root");
        return root.replace('.', '/');
    }

    /** The public API's own types, and everything under the bootstrap root. */
    private static boolean isBootstrap(JarFile jar, String entry) {
        try {
            return entry.matches("dev/killswitch/[^/]+\\.class") || entry.startsWith(root(jar) + "/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
