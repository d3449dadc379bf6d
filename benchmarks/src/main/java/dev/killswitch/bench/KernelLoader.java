package dev.killswitch.bench;

import dev.killswitch.config.ClassGlob;
import dev.killswitch.config.ConfigException;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.instrument.killpoints.KillPointTransformer;
import dev.killswitch.runtime.start.RuntimeStart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the kernels, and the library code they call, a second time in a loader of their own: either
 * the bytes as compiled, or those bytes after the agent's own transformer. Both copies come from the
 * same class files, so the only difference between them is the kill points.
 */
final class KernelLoader extends ClassLoader {
    static final String[] PACKAGES = {"com.acme.kernels.", "org.apache.commons.math3."};
    private static final String INCLUDE = "include=com.acme.kernels.**,org.apache.commons.math3.**";

    private final KillPointTransformer transformer;

    private KernelLoader(String name, KillPointTransformer transformer) {
        super(name, KernelLoader.class.getClassLoader());
        this.transformer = transformer;
    }

    static KernelLoader original() {
        return new KernelLoader("original", null);
    }

    /**
     * Under the agent ({@link #agentArgument}, what the idle section gives the killable variant's forks) the agent
     * transforms the kernels as this loader defines them, as in production. Without it they are transformed here, with
     * the runtime on the class path, not in the boot loader: right for checking what they compute, but the JIT cannot
     * fold numbered kill points there, so the time is not the agent's.
     */
    static KernelLoader killable() {
        if (underTheAgent()) {
            return new KernelLoader("killable", null);
        }
        System.err.println("killable kernels transformed in this JVM, without the agent: their time is not the agent's"
                + " (run them with -javaagent:killswitch-agent.jar=" + INCLUDE + ", as the idle section does)");
        RuntimeStart.activate(false);
        return new KernelLoader("killable", new KillPointTransformer(
                new ClassSelector(globs("com.acme.kernels.**", "org.apache.commons.math3.**"), List.of()),
                new TransformReporter(false, System.err), null));
    }

    /** The {@code -javaagent} argument that selects the kernels and the library they call. */
    static String agentArgument() {
        return "-javaagent:" + Environment.agentJar() + "=" + INCLUDE;
    }

    private static boolean underTheAgent() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("killswitch-agent"));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isOwn(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = read(name);
                if (transformer != null) {
                    byte[] out = transformer.transform(null, this, name.replace('.', '/'), null, null, bytes);
                    bytes = out == null ? bytes : out;
                }
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private static boolean isOwn(String name) {
        for (String p : PACKAGES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private byte[] read(String name) throws ClassNotFoundException {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ClassGlob> globs(String... patterns) {
        List<ClassGlob> globs = new ArrayList<>();
        for (String p : patterns) {
            try {
                globs.add(ClassGlob.parse(p));
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return globs;
    }
}
