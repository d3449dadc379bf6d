package dev.killswitch.instrument.ondemand;

import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The code of other Java agents, which a kill never instruments on demand. It runs where the application's code does
 * not: inside class loading and class file transformers, in loaders of its own, often hooked into the JDK, so kill
 * points there can recurse into class loading or be dropped by the JVM (seen with the OpenTelemetry agent). An
 * agent's class is one that: implements {@link ClassFileTransformer}; was appended to the boot class path (the JDK's
 * own classes never reach here); was defined by a class loader that is itself such a class; or comes from a jar whose
 * manifest names an agent class ({@code Premain-Class}, {@code Agent-Class}, {@code Launcher-Agent-Class}) that is
 * loaded, so running. A library that only declares an agent it may be started as (kotlinx-coroutines, Mockito) is
 * not one, and neither is the jar the JVM was started with ({@code java -jar}). {@code include} may still select such
 * classes explicitly. Used by the deliverer thread only.
 */
final class OtherAgentsCode {
    /** Per jar: the agent classes its manifest names (empty for none, or unreadable). */
    private final Map<URI, List<String>> declared = new ConcurrentHashMap<>();
    /** Jars whose agent is known to be loaded: an agent stays loaded. */
    private final Set<URI> running = ConcurrentHashMap.newKeySet();
    private final URI launchedJar = launchedJar();

    /** {@code loaded}: every class the JVM has loaded, to tell a running agent from one a jar merely declares. */
    boolean owns(Class<?> c, Class<?>[] loaded) {
        if (ClassFileTransformer.class.isAssignableFrom(c)) {
            return true;
        }
        ClassLoader loader = c.getClassLoader();
        if (loader == null) {
            return true; // appended to the boot class path by an agent: the JDK's classes are excluded before
        }
        Class<?> loaderClass = loader.getClass();
        if (loaderClass.getClassLoader() == null && !loaderClass.getModule().isNamed()) {
            return true; // a loader an agent put on the boot class path
        }
        return isRunningAgentJar(jar(c), loaded) || isRunningAgentJar(jar(loaderClass), loaded);
    }

    private boolean isRunningAgentJar(URI jar, Class<?>[] loaded) {
        if (jar == null || jar.equals(launchedJar)) {
            return false;
        }
        if (running.contains(jar)) {
            return true;
        }
        List<String> agents = declared.computeIfAbsent(jar, OtherAgentsCode::agentClasses);
        if (agents.isEmpty()) {
            return false;
        }
        for (Class<?> l : loaded) {
            if (agents.contains(l.getName()) && jar.equals(jar(l))) {
                running.add(jar);
                return true;
            }
        }
        return false;
    }

    private static List<String> agentClasses(URI jar) {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(Path.of(jar).toFile(), false)) {
            Manifest manifest = file.getManifest();
            Attributes main = manifest == null ? null : manifest.getMainAttributes();
            if (main != null) {
                for (String key : new String[] {"Premain-Class", "Agent-Class", "Launcher-Agent-Class"}) {
                    String name = main.getValue(key);
                    if (name != null) {
                        names.add(name.trim());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: not known to be an agent's
        }
        return List.copyOf(names);
    }

    /** The jar a class comes from, as a file URI; null for a folder or anything else. */
    private static URI jar(Class<?> c) {
        URL location = location(c);
        if (location == null || !"file".equals(location.getProtocol()) || !location.getPath().toLowerCase().endsWith(".jar")) {
            return null;
        }
        try {
            return Path.of(location.toURI()).toAbsolutePath().normalize().toUri();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The jar of {@code java -jar app.jar}, the application itself, or null. */
    private static URI launchedJar() {
        String command = System.getProperty("sun.java.command", "");
        String first = command.isEmpty() ? "" : command.split(" ", 2)[0];
        if (!first.toLowerCase().endsWith(".jar")) {
            return null;
        }
        try {
            return Path.of(first).toAbsolutePath().normalize().toUri();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static URL location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
