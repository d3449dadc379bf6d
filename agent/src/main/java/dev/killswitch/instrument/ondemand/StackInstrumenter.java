package dev.killswitch.instrument.ondemand;

import dev.killswitch.instrument.AgentTransformer;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.Retransformer;
import dev.killswitch.runtime.delivery.DelicateFrames;
import dev.killswitch.runtime.registry.InstrumentedClasses;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.net.URL;
import java.util.function.BiFunction;

/**
 * Gives kill points, by retransformation, to the classes of a victim's frames that a kill may change: what
 * include could name (not the JDK's, not the agent's, not excluded, within {@code on-demand}), modifiable, not
 * hidden, not another agent's ({@link OtherAgentsCode}), and not running inside a class file transformer. Frames
 * already running keep their old code, as after an attach: the kill lands at the next call into, or the next loop
 * of a new invocation of, any of their methods. When such a frame calls only methods that the JIT inlined into its
 * loop (never seen on the stack), the kill widens once to the loaded classes of the same jar or folder as the
 * frame's class, its library: at most {@value #WIDEST}, the nearest packages first. A class the JVM would not take
 * is reported and runs on as it was. Called by the deliverer thread only, so two kills never instrument at once.
 */
public final class StackInstrumenter implements BiFunction<StackTraceElement[], Boolean, List<String>> {
    /** At most this many classes of a library, when a kill widens to it. */
    static final int WIDEST = 200;

    private final Instrumentation instrumentation;
    private final ClassSelector selector;
    private final OnDemandClasses classes;
    private final PrintStream out;
    /** Names that cannot be instrumented (hidden, not modifiable, no kill points to give): not tried again. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final OtherAgentsCode otherAgents = new OtherAgentsCode();

    public StackInstrumenter(Instrumentation instrumentation, ClassSelector selector, OnDemandClasses classes, PrintStream out) {
        this.instrumentation = instrumentation;
        this.selector = selector;
        this.classes = classes;
        this.out = out;
    }

    @Override
    public List<String> apply(StackTraceElement[] stack, Boolean widen) {
        StackTraceElement[] frames = belowTransformers(stack);
        Set<String> wanted = new LinkedHashSet<>();
        for (StackTraceElement f : frames) {
            String name = f.getClassName();
            if (!f.isNativeMethod() && mayTry(name)) {
                wanted.add(name);
            }
        }
        String top = frames.length == 0 ? null : frames[0].getClassName();
        if (wanted.isEmpty() && !(widen && top != null)) {
            return List.of();
        }
        Class<?>[] loaded = instrumentation.getAllLoadedClasses();
        Class<?> topClass = widen && top != null ? find(top, loaded) : null;
        URL library = topClass == null ? null : OtherAgentsCode.location(topClass);
        List<Class<?>> found = new ArrayList<>();
        List<Class<?>> fromLibrary = new ArrayList<>();
        for (Class<?> c : loaded) {
            String name = c.getName();
            boolean onStack = wanted.contains(name);
            boolean inLibrary = !onStack && library != null && c.getClassLoader() == topClass.getClassLoader() && mayTry(name)
                    && library.equals(OtherAgentsCode.location(c));
            if ((onStack || inLibrary) && !c.isHidden() && !c.isArray() && instrumentation.isModifiableClass(c)
                    && !AgentTransformer.isJdkModule(c.getModule(), c.getClassLoader()) && !otherAgents.owns(c, loaded)) {
                (onStack ? found : fromLibrary).add(c);
            }
        }
        if (!fromLibrary.isEmpty()) {
            // The nearest packages first, and a bound: a kill must not retransform a whole application.
            String home = top.substring(0, Math.max(0, top.lastIndexOf('.')));
            fromLibrary.sort(Comparator.comparingInt((Class<?> c) -> -commonPrefix(home, c.getName())).thenComparing(Class::getName));
            for (Class<?> c : fromLibrary.subList(0, Math.min(WIDEST, fromLibrary.size()))) {
                found.add(c);
                wanted.add(c.getName());
            }
        }
        for (Class<?> c : found) {
            classes.add(c.getName().replace('.', '/'));
        }
        Retransformer.retransform(instrumentation, found, "on demand: ", out);
        List<String> done = new ArrayList<>();
        for (String name : wanted) {
            if (InstrumentedClasses.contains(name)) {
                InstrumentedClasses.instrumentedOnDemand(name);
                done.add(name);
            } else {
                refused.add(name);
                classes.remove(name.replace('.', '/'));
            }
        }
        return done;
    }

    private boolean mayTry(String name) {
        return !InstrumentedClasses.contains(name) && !refused.contains(name)
                && name.indexOf('/') < 0 // a hidden class (a lambda's, a proxy's): cannot be retransformed
                && selector.mayInstrumentOnDemand(name.replace('.', '/'));
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private static Class<?> find(String className, Class<?>[] loaded) {
        for (Class<?> c : loaded) {
            if (c.getName().equals(className)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The frames below the outermost class file transformer the JVM is running, if any: what runs inside a transformer
     * is another agent's work, whose errors the JVM drops.
     */
    static StackTraceElement[] belowTransformers(StackTraceElement[] frames) {
        for (int i = frames.length - 1; i >= 0; i--) {
            if (DelicateFrames.TRANSFORMER_MANAGER.equals(frames[i].getClassName())) {
                return Arrays.copyOfRange(frames, i + 1, frames.length);
            }
        }
        return frames;
    }
}
