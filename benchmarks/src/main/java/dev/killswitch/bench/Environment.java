package dev.killswitch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The JDK and machine the figures were measured on, and where the agent jar and corpus are. */
final class Environment {
    private static Path anyAgent;

    private Environment() {
    }

    static String describe() {
        return "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " CPUs, " + cpuModel();
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The folder of benchmarks.jar: the agent jar and the corpus are put beside it by the build. */
    static Path home() {
        try {
            return Path.of(Environment.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (Exception e) {
            return Path.of(".");
        }
    }

    static Path agentJar() {
        Path p = Path.of(System.getProperty("agent.jar", home().resolve("killswitch-agent.jar").toString()));
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("agent jar not found at " + p + ": build with ./mvnw package, or pass -Dagent.jar=...");
        }
        return p;
    }

    /**
     * A jar of nothing but a manifest that makes {@link AnyAgent} a Java agent (found on the class path, like the rest
     * of the benchmarks), asking for what the real agent asks for; written once per run, in a temporary folder.
     */
    static synchronized Path anyAgentJar() {
        if (anyAgent == null) {
            try {
                Path jar = Files.createTempFile("any-agent", ".jar");
                jar.toFile().deleteOnExit();
                Manifest manifest = new Manifest();
                manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                manifest.getMainAttributes().putValue("Premain-Class", AnyAgent.class.getName());
                manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
                new JarOutputStream(Files.newOutputStream(jar), manifest).close();
                anyAgent = jar;
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the do-nothing agent's jar", e);
            }
        }
        return anyAgent;
    }

    static Path benchmarksJar() {
        try {
            return Path.of(Environment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Path corpus(String prefix) {
        Path dir = Path.of(System.getProperty("corpus.dir", home().resolve("corpus").toString()));
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(prefix + "*.jar not in " + dir));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no corpus folder " + dir + ": build with ./mvnw -Pbenchmark-corpus package", e);
        }
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (Exception e) {
            return System.getProperty("os.arch");
        }
    }
}
