package dev.killswitch.it.support;

import dev.killswitch.testsupport.Paths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Other agents for the tests to load beside killswitch, each packed into a jar of its own, as agents ship. */
public final class FixtureAgents {
    private FixtureAgents() {
    }

    /** An agent jar holding {@code com.acme.agents.NAME} and its nested classes. */
    public static Path jar(String name) throws IOException {
        Path folder = Paths.fixtures("agents").resolve("com/acme/agents");
        Path jar = Paths.fixtures("agents").resolveSibling(name + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "com.acme.agents." + name);
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> classes = Files.list(folder)) {
            for (Path c : (Iterable<Path>) classes.filter(p -> p.getFileName().toString().startsWith(name))::iterator) {
                out.putNextEntry(new JarEntry("com/acme/agents/" + c.getFileName()));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
        }
        return jar;
    }
}
