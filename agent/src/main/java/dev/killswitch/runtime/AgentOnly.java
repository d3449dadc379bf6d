package dev.killswitch.runtime;

import java.lang.instrument.Instrumentation;

/**
 * Keeps the runtime's switches for the agent. The runtime is public on the bootstrap path, so that
 * instrumented classes in every loader reach it; any class could call, say, {@code KillRuntime.disable}.
 * The methods that change the agent's state (switching it on or off, registering what the transformer
 * did, configuring retrofits) therefore ask here who called them: only the agent's own loader, which
 * proved itself with the JVM's {@link Instrumentation}, and the runtime itself may. An application
 * reaches the agent's state only through the documented API in {@code dev.killswitch}.
 */
public final class AgentOnly {
    /**
     * What each guarded method asks, in its own body, for its caller: {@code AgentOnly.check(AgentOnly.CALLER.getCallerClass(), ...)}.
     * (getCallerClass must be called by the guarded method itself; it is cheap, and needs no stack stream.)
     */
    public static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** The agent's own packages; not the API package {@code dev.killswitch} itself. */
    private static final String OWN_PACKAGES = "dev.killswitch.";

    private static volatile ClassLoader agentLoader;

    private AgentOnly() {
    }

    /**
     * The agent's loader introduces itself; the agent does so only while no agent is active, so that a second
     * load into the same JVM, which is ignored, takes nothing from the first. Only an agent holds the JVM's own
     * {@code Instrumentation}: a class of an application cannot make one.
     *
     * @throws IllegalCallerException for anything else
     */
    public static void admit(Instrumentation instrumentation) {
        if (instrumentation == null || instrumentation.getClass().getModule() != Instrumentation.class.getModule()) {
            throw new IllegalCallerException("only the killswitch agent may do this; it proves itself with the JVM's"
                    + " Instrumentation, and this is " + (instrumentation == null ? "null" : instrumentation.getClass().getName()));
        }
        agentLoader = CALLER.getCallerClass().getClassLoader();
    }

    /**
     * Refuses a caller that is neither the agent nor the runtime.
     *
     * @param caller the class that called the guarded method
     * @param what what the refused caller tried, for the message
     */
    public static void check(Class<?> caller, String what) {
        ClassLoader loader = caller.getClassLoader();
        boolean agent = loader != null && loader == agentLoader;
        // The runtime's own classes, in the loader that defined it. Not any class of that loader: the boot loader
        // is also the JDK's, and a method reference the JDK runs (Optional.ifPresent, a Thread) has a JDK caller.
        // Without an agent (unit tests, benchmarks, the API jar on a class path) the runtime is in an ordinary
        // loader with the transformer beside it, which registers what it did.
        String pkg = caller.getPackageName();
        boolean runtime = loader == AgentOnly.class.getClassLoader()
                && (loader == null ? RuntimePackages.isRuntimeClass(caller.getName()) : pkg.startsWith(OWN_PACKAGES));
        if (!agent && !runtime) {
            throw new IllegalCallerException(caller.getName() + " may not " + what + ": only the killswitch agent may;"
                    + " applications use dev.killswitch.Killswitch");
        }
    }
}
