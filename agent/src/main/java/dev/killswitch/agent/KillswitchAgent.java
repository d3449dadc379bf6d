package dev.killswitch.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.function.Consumer;
import java.util.function.ToIntBiFunction;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The agent's entry point ({@code Premain-Class}, {@code Agent-Class} and {@code Main-Class}). Deliberately tiny and
 * stateless: it has the boot loader define the small kill-point runtime, so that instrumented classes in
 * every class loader reach it (the public API in {@code dev.killswitch} and everything
 * under the package root that the jar's manifest names in {@value #BOOTSTRAP_ROOT}), and starts everything
 * else in a class loader of its own, so that the transformer and its bytecode library are never visible to
 * the application.
 */
public final class KillswitchAgent {
    private static final String START = "dev.killswitch.agent.AgentStart";
    private static final String CLI = "dev.killswitch.cli.KillswitchCli";
    private static final String INSTALLER_ENTRY = "dev/killswitch/agent/AgentInstaller.classdata";
    /** The manifest attribute naming the package root of the bootstrap runtime; the build writes it. */
    static final String BOOTSTRAP_ROOT = "Killswitch-Bootstrap-Root";

    private KillswitchAgent() {
    }

    public static void premain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, false);
    }

    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, true);
    }

    /** The command-line tool ({@code java -jar killswitch-agent.jar COMMAND PID ...}), also in the agent's own loader. */
    public static void main(String[] args) throws Exception {
        File jar = agentJar();
        // The attach API lives in the application class loader, so that is the parent here.
        ClassLoader loader = new AgentClassLoader(jar, ClassLoader.getSystemClassLoader());
        @SuppressWarnings("unchecked") // an interface call, as for the agent's start
        ToIntBiFunction<String[], File> cli = (ToIntBiFunction<String[], File>) Class.forName(CLI, true, loader).getConstructor().newInstance();
        System.exit(cli.applyAsInt(args, jar));
    }

    private static void start(String agentArgs, Instrumentation instrumentation, boolean attached) {
        try {
            File jar = agentJar();
            ClassLoader agentLoader = new AgentClassLoader(jar, null);
            // An interface call into the agent's loader, not a reflective one: on JDK 18 and later a reflective call of
            // a new signature has the JVM make method handles of its own for it, milliseconds at start-up.
            @SuppressWarnings("unchecked")
            Consumer<Object[]> start = (Consumer<Object[]>) Class.forName(START, true, agentLoader).getConstructor().newInstance();
            start.accept(new Object[] {agentArgs, instrumentation, attached, jar});
        } catch (Throwable t) {
            // Whatever happens, the application starts. A wrapper says nothing: name its cause.
            Throwable cause = (t instanceof java.lang.reflect.InvocationTargetException || t instanceof java.io.UncheckedIOException)
                    && t.getCause() != null ? t.getCause() : t;
            System.err.println("killswitch: the agent could not start and instruments nothing; the application runs on"
                    + " without it (" + cause + "). Please report this line.");
        }
    }

    /**
     * The agent jar. Usually the jar this class came from; but an application jar that bundles the
     * agent's classes comes first on the class path, so look for the jar whose manifest names this class
     * as its agent and that holds the agent's internals. The JVM put the -javaagent jar on the system
     * class path, so it is among the places this class can be found.
     */
    private static File agentJar() throws Exception {
        File own = new File(KillswitchAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (isAgentJar(own)) {
            return own;
        }
        String self = KillswitchAgent.class.getName().replace('.', '/') + ".class";
        for (URL url : Collections.list(ClassLoader.getSystemClassLoader().getResources(self))) {
            if (url.getProtocol().equals("jar")) {
                File candidate = new File(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
                if (isAgentJar(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no agent jar found: " + own + " has no Premain-Class " + KillswitchAgent.class.getName()
                + " with the agent's classes, and neither has any other jar on the class path");
    }

    private static boolean isAgentJar(File file) {
        if (!file.isFile()) {
            return false;
        }
        try (JarFile jar = new JarFile(file)) {
            Manifest manifest = jar.getManifest();
            return manifest != null && KillswitchAgent.class.getName().equals(manifest.getMainAttributes().getValue("Premain-Class"))
                    && jar.getEntry(INSTALLER_ENTRY) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Loads the agent's internals from the agent jar, where the build stored them as {@code .classdata}
     * so that the bootstrap loader cannot find them; leaves the public API and the kill-point runtime to
     * the bootstrap loader, so that there is one copy of them in the JVM.
     */
    static final class AgentClassLoader extends URLClassLoader {
        static final String INTERNAL_SUFFIX = ".classdata";

        static {
            registerAsParallelCapable();
        }

        private final ProtectionDomain domain;
        private final JarFile jar;
        private final String bootstrapRoot;

        /** @param parent null (the bootstrap loader) for the agent, the system loader for the command-line tool */
        AgentClassLoader(File agentJar, ClassLoader parent) throws IOException {
            super("killswitch", new URL[] {agentJar.toURI().toURL()}, parent);
            domain = new ProtectionDomain(new CodeSource(getURLs()[0], (Certificate[]) null), null, this, null);
            jar = new JarFile(agentJar);
            Manifest manifest = jar.getManifest();
            bootstrapRoot = manifest == null ? null : manifest.getMainAttributes().getValue(BOOTSTRAP_ROOT);
            if (bootstrapRoot == null) {
                throw new IOException(agentJar + " has no " + BOOTSTRAP_ROOT + " in its manifest: it is not a complete agent jar");
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!isInternal(name)) {
                if (getParent() == null && name.startsWith("dev.killswitch.")) {
                    // The API and the runtime come from the boot loader or not at all: never a second copy from this jar.
                    return Class.forName(name, false, null);
                }
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = defineInternal(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private Class<?> defineInternal(String name) throws ClassNotFoundException {
            JarEntry entry = jar.getJarEntry(name.replace('.', '/') + INTERNAL_SUFFIX);
            if (entry == null) {
                return findClass(name); // a build without .classdata (an IDE): plain class files
            }
            try (InputStream in = jar.getInputStream(entry)) {
                byte[] bytes = in.readAllBytes();
                String pkg = name.substring(0, name.lastIndexOf('.'));
                if (getDefinedPackage(pkg) == null) {
                    definePackage(pkg, null, null, null, null, null, null, null);
                }
                return defineClass(name, bytes, 0, bytes.length, domain);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        private boolean isInternal(String className) {
            return isInternal(className, bootstrapRoot);
        }

        /** Everything of the agent's but the public API and the runtime under {@code bootstrapRoot}. */
        static boolean isInternal(String className, String bootstrapRoot) {
            if (!className.startsWith("dev.killswitch.")) {
                return false;
            }
            String pkg = className.substring(0, className.lastIndexOf('.'));
            return !pkg.equals("dev.killswitch") && !pkg.equals(bootstrapRoot) && !pkg.startsWith(bootstrapRoot + ".");
        }
    }
}
