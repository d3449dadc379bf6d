package dev.killswitch.agent;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;
import java.util.jar.JarFile;

/**
 * The first class of the agent's own loader to run: puts the runtime on the bootstrap side, then installs the
 * agent. Neither this class nor {@link BootInjector} refers to a class of the runtime: one loaded through the
 * agent's loader before the boot loader has it would be a second copy.
 */
public final class AgentStart implements Consumer<Object[]> {
    private static final String API = "dev.killswitch.Killswitch";

    /** Made by {@link KillswitchAgent} in the agent's class loader; {@link #accept} is the one call into that loader. */
    public AgentStart() {
    }

    /** The agent's arguments, its {@link Instrumentation}, whether it was attached, and the agent jar. */
    @Override
    public void accept(Object[] args) {
        try {
            start((String) args[0], (Instrumentation) args[1], (Boolean) args[2], (File) args[3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void start(String agentArgs, Instrumentation instrumentation, boolean attached, File agentJar) throws IOException {
        if (!runtimeOnBootstrap()) {
            try {
                BootInjector.inject(instrumentation, agentJar);
            } catch (Exception | LinkageError e) {
                System.err.println("killswitch: could not define the runtime in the boot loader (" + e
                        + "); the agent jar is appended to the bootstrap class path instead");
                instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
            }
        }
        AgentInstaller.install(agentArgs, instrumentation, attached, agentJar);
    }

    /** Attached again, or defined before: the boot loader has the runtime already. */
    private static boolean runtimeOnBootstrap() {
        try {
            Class.forName(API, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
