package dev.killswitch.it;

import dev.killswitch.it.child.PlainApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.runtime.RuntimePackages;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each class loader holds once the agent runs, read from the JVM's own class-loading log: only
 * the public API and the kill-point runtime are bootstrap classes, and they are few; the transformer
 * and the shaded bytecode library live in the agent's own loader, invisible to the application.
 */
class BootstrapIsolationTest {
    private static final Pattern LOADED = Pattern.compile("\\[class,load *\\] (dev\\.killswitch\\.\\S+) source: ");
    private static final Pattern LOADER = Pattern.compile("loader: \\[loader data: \\S+ (?:of '([^']+)'|for instance a '([^']+)')");
    private static final Pattern BYTES = Pattern.compile("bytes: (\\d+)");

    @TempDir
    Path temp;

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void onlyTheApiAndTheKillPointRuntimeAreBootstrapClasses(Jdk jdk) throws IOException {
        Path log = temp.resolve("class-load.log");
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .jvmArgs("-Xlog:class+load=debug:file=" + log)
                .classPath(Paths.fixtures("java17")).main(PlainApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            assertEquals("DELIVERED", child.event("KILL").get("status"));
        }
        Map<String, String> loaders = new TreeMap<>();
        long bootstrapBytes = 0;
        List<String> lines = Files.readAllLines(log);
        for (int i = 0; i + 1 < lines.size(); i++) {
            Matcher name = LOADED.matcher(lines.get(i));
            if (!name.find()) {
                continue;
            }
            Matcher loader = LOADER.matcher(lines.get(i + 1));
            assertTrue(loader.find(), lines.get(i + 1));
            String who = loader.group(1) != null ? loader.group(1) : loader.group(2);
            loaders.put(name.group(1), who);
            if (who.equals("bootstrap")) {
                Matcher bytes = BYTES.matcher(lines.get(i + 1));
                bootstrapBytes += bytes.find() ? Long.parseLong(bytes.group(1)) : 0;
            }
        }
        long bootstrapClasses = 0;
        for (Map.Entry<String, String> e : loaders.entrySet()) {
            String cls = e.getKey();
            String pkg = cls.substring(0, cls.lastIndexOf('.'));
            boolean shared = pkg.equals("dev.killswitch") || RuntimePackages.isRuntimeClass(cls);
            if (shared) {
                assertEquals("bootstrap", e.getValue(), cls + " must be loaded once, by the bootstrap loader");
                bootstrapClasses++;
            } else if (cls.startsWith("dev.killswitch.agent.KillswitchAgent")) {
                assertTrue(e.getValue().contains("AppClassLoader"), cls + " is the premain class: " + e.getValue());
            } else if (!cls.startsWith("dev.killswitch.it.")) {
                assertEquals("dev/killswitch/agent/KillswitchAgent$AgentClassLoader", e.getValue(), cls);
            }
        }
        assertTrue(loaders.containsKey("dev.killswitch.instrument.killpoints.KillPointTransformer"), loaders.keySet().toString());
        assertTrue(loaders.keySet().stream().anyMatch(c -> c.startsWith("dev.killswitch.shaded.asm.")), loaders.keySet().toString());
        // The API and the whole runtime, defined when the agent starts (the boot loader cannot look up a runtime class
        // later: none of the jar is on its search path); the rest stays hidden. The bytes are the real bound: the
        // count grows with small classes of one job each. 232 KiB since kill points read their call sites from tables
        // by number and keep the lookup's slow path out of line (229,776 bytes then); 234 KiB since the look at a
        // victim's stack keeps what it knows of the previous frame's class, and the deliverer puts a sample off while
        // the victim decides (237,726 bytes with the first alone).
        assertTrue(bootstrapClasses >= 5 && bootstrapClasses <= 72, "bootstrap classes: " + bootstrapClasses);
        assertTrue(bootstrapBytes < 234 * 1024, "bootstrap bytes: " + bootstrapBytes);
        System.out.printf("%s: %d agent classes on the bootstrap loader, %d bytes%n", jdk, bootstrapClasses, bootstrapBytes);
    }

    /**
     * The boot loader defines the runtime class by class: the agent jar is not appended to the bootstrap
     * class path, so the JVM keeps class-data sharing for the application and prints no warning about it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theBootstrapClassPathIsLeftAsItWas(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**").jvmArgs("-Xshare:auto")
                .classPath(Paths.fixtures("java17")).main(PlainApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            assertEquals("DELIVERED", child.event("KILL").get("status"), child.describe());
            String stderr = String.join("\n", child.stderr());
            assertFalse(stderr.contains("bootstrap classpath has been appended"), stderr);
            assertFalse(stderr.contains("could not define the runtime"), stderr);
            assertEquals(1L, child.agentLines().stream().filter(l -> l.startsWith("killswitch: active")).count(), child.describe());
        }
    }
}
