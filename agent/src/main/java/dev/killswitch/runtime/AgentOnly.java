package dev.killswitch.runtime;

import java.lang.instrument.Instrumentation;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Keeps the runtime's switches for the agent. The runtime is public on the bootstrap path, so that
 * instrumented classes in every loader reach it; any class could call, say, {@code KillRuntime.disable}.
 * The methods that change the agent's state (switching it on or off, registering what the transformer
 * did, configuring retrofits) therefore ask here who called them: only the agent's own loader, which
 * proved itself with the JVM's {@link Instrumentation}, and the runtime itself may. An application
 * reaches the agent's state only through the documented API in {@code dev.killswitch}.
 */
public final class AgentOnly {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** The agent's own packages; not the API package {@code dev.killswitch} itself. */
    private static final String OWN_PACKAGES = "dev.killswitch.";

    private static volatile ClassLoader agentLoader;

    private AgentOnly() {
    }

    /**
     * The agent's loader introduces itself. Only an agent holds the JVM's own {@code Instrumentation}: a
     * class of an application cannot make one.
     *
     * @throws IllegalCallerException for anything else
     */
    public static void admit(Instrumentation instrumentation) {
        if (instrumentation == null || instrumentation.getClass().getModule() != Instrumentation.class.getModule()) {
            throw new IllegalCallerException("only the killswitch agent may do this; it proves itself with the JVM's"
                    + " Instrumentation, and this is " + (instrumentation == null ? "null" : instrumentation.getClass().getName()));
        }
        agentLoader = WALKER.getCallerClass().getClassLoader();
        WALKER.walk(CallerOfGuardedMethod.INSTANCE); // now, not in the first class the agent transforms
    }

    /**
     * Refuses a caller of the method that calls this that is neither the agent nor the runtime.
     *
     * @param what what the refused caller tried, for the message
     */
    public static void check(String what) {
        Class<?> caller = WALKER.walk(CallerOfGuardedMethod.INSTANCE);
        ClassLoader loader = caller.getClassLoader();
        ClassLoader own = AgentOnly.class.getClassLoader();
        boolean agent = loader != null && loader == agentLoader;
        // Without an agent (unit tests, benchmarks, the API jar on an application's class path) the runtime is
        // in an ordinary loader, and so may be the transformer, which registers what it did.
        boolean runtime = loader == own && (own == null || caller.getPackageName().startsWith(OWN_PACKAGES));
        if (!agent && !runtime) {
            throw new IllegalCallerException(caller.getName() + " may not " + what + ": only the killswitch agent may;"
                    + " applications use dev.killswitch.Killswitch");
        }
    }

    /** Frame 0 is {@link #check}, 1 the guarded method, 2 its caller. A class, not a lambda: this runs while the first class is transformed. */
    private static final class CallerOfGuardedMethod implements Function<Stream<StackWalker.StackFrame>, Class<?>> {
        static final CallerOfGuardedMethod INSTANCE = new CallerOfGuardedMethod();

        @Override
        public Class<?> apply(Stream<StackWalker.StackFrame> frames) {
            return frames.skip(2).findFirst().orElseThrow().getDeclaringClass();
        }
    }
}
