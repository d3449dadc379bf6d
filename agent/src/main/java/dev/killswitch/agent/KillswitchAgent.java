package dev.killswitch.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.jar.JarFile;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}). Deliberately tiny and
 * stateless: it puts the agent jar on the bootstrap class path, so that instrumented classes in every
 * class loader reach the small kill-point runtime ({@code dev.killswitch} and
 * {@code dev.killswitch.delivery}), and starts everything else in a class loader of its own, so that
 * the transformer and its bytecode library are never visible to the application.
 */
public final class KillswitchAgent {
    private static final String INSTALLER = "dev.killswitch.agent.AgentInstaller";

    private KillswitchAgent() {
    }

    public static void premain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, false);
    }

    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, true);
    }

    private static void start(String agentArgs, Instrumentation instrumentation, boolean attached) {
        try {
            File jar = new File(KillswitchAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // Create the agent's loader before the jar joins the bootstrap path, so that its own class comes from here.
            ClassLoader agentLoader = new AgentClassLoader(jar.toURI().toURL());
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            Class.forName(INSTALLER, true, agentLoader)
                    .getMethod("install", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, agentArgs, instrumentation, attached);
        } catch (Throwable t) {
            // Whatever happens, the application starts.
            System.err.println("killswitch: the agent could not start and instruments nothing: " + t);
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

        AgentClassLoader(URL agentJar) {
            super("killswitch", new URL[] {agentJar}, null);
            domain = new ProtectionDomain(new CodeSource(agentJar, (Certificate[]) null), null, this, null);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!isInternal(name)) {
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
            URL url = findResource(name.replace('.', '/') + INTERNAL_SUFFIX);
            if (url == null) {
                return findClass(name); // an unpacked build (tests, IDE): plain class files
            }
            try (InputStream in = url.openStream()) {
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

        /** Everything of the agent's but the packages shared through the bootstrap loader. */
        static boolean isInternal(String className) {
            if (!className.startsWith("dev.killswitch.")) {
                return false;
            }
            String pkg = className.substring(0, className.lastIndexOf('.'));
            return !pkg.equals("dev.killswitch") && !pkg.equals("dev.killswitch.delivery");
        }
    }
}
