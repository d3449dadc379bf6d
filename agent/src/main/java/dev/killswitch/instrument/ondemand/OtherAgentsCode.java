package dev.killswitch.instrument.ondemand;

import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
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
 * manifest names a {@code Premain-Class} or an {@code Agent-Class}. {@code include} may still select such classes
 * explicitly. Used by the deliverer thread only.
 */
final class OtherAgentsCode {
    /** Per code-source location: whether it is an agent's jar. */
    private final Map<URL, Boolean> agentJars = new ConcurrentHashMap<>();

    boolean owns(Class<?> c) {
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
        return isAgentJar(location(c)) || isAgentJar(location(loaderClass));
    }

    private boolean isAgentJar(URL location) {
        if (location == null || !"file".equals(location.getProtocol()) || !location.getPath().endsWith(".jar")) {
            return false;
        }
        return agentJars.computeIfAbsent(location, OtherAgentsCode::declaresAnAgent);
    }

    private static boolean declaresAnAgent(URL jar) {
        try (JarFile file = new JarFile(Path.of(jar.toURI()).toFile(), false)) {
            Manifest manifest = file.getManifest();
            Attributes main = manifest == null ? null : manifest.getMainAttributes();
            return main != null && (main.getValue("Premain-Class") != null || main.getValue("Agent-Class") != null);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return false; // unreadable: not known to be an agent's
        }
    }

    static URL location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
