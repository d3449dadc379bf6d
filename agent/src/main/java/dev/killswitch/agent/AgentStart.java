package dev.killswitch.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The first class of the agent's own loader to run: puts the runtime on the bootstrap side, then installs the
 * agent. Neither this class nor {@link BootInjector} refers to a class of the runtime: one loaded through the
 * agent's loader before the boot loader has it would be a second copy.
 */
public final class AgentStart {
    private static final String API = "dev.killswitch.Killswitch";

    private AgentStart() {
    }

    /** Called reflectively by {@link KillswitchAgent}, in the agent's class loader. */
    public static void start(String agentArgs, Instrumentation instrumentation, boolean attached, File agentJar) throws Exception {
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
