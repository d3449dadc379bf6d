package dev.killswitch.instrument;

import dev.killswitch.runtime.registry.StagedRegistrations;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * When the agent is attached to a running JVM, or include-jdk names JDK packages (loaded before any agent):
 * gives the selected classes that are already loaded
 * their kill points by retransformation, a batch at a time with a pause between, so that the target
 * never stops for long. A method running at that moment keeps running its old code; its callees, and
 * every later call, run the new code.
 */
public final class Retransformer {
    static final int BATCH = 50;
    private static final long PAUSE_NANOS = 1_000_000;

    private Retransformer() {
    }

    /** @return how many classes were retransformed (each was instrumented, or reported and left as it was) */
    public static int retransformLoaded(Instrumentation instrumentation, ClassSelector selector) {
        List<Class<?>> selected = new ArrayList<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (!c.isArray() && !c.isPrimitive() && !c.isHidden() && instrumentation.isModifiableClass(c)
                    && selects(selector, c)) {
                selected.add(c);
            }
        }
        return retransform(instrumentation, selected, "", System.err);
    }

    private static boolean selects(ClassSelector selector, Class<?> c) {
        String name = c.getName().replace('.', '/');
        return selector.selects(name) && (!AgentTransformer.isJdkModule(c.getModule(), c.getClassLoader()) || selector.selectsJdk(name));
    }

    /**
     * Retransforms {@code classes}, a batch at a time with a pause between.
     *
     * @param what what asked for it, for the message about a class the JVM would not take ("deadline: "), or ""
     * @return how many were retransformed
     */
    public static int retransform(Instrumentation instrumentation, List<Class<?>> classes, String what, PrintStream out) {
        int done = 0;
        for (int from = 0; from < classes.size(); from += BATCH) {
            List<Class<?>> batch = classes.subList(from, Math.min(classes.size(), from + BATCH));
            if (retransform(instrumentation, batch.toArray(new Class<?>[0])) == null) {
                done += batch.size();
            } else {
                // One class the JVM would not take spoils its batch: go through it one by one.
                for (Class<?> c : batch) {
                    Throwable refused = retransform(instrumentation, c);
                    if (refused == null) {
                        done++;
                    } else {
                        out.println("killswitch: " + what + c.getName() + " could not be retransformed and runs as it was: "
                                + TransformReporter.why(refused));
                    }
                }
            }
            if (from + BATCH < classes.size()) {
                LockSupport.parkNanos(PAUSE_NANOS);
            }
        }
        return done;
    }

    /**
     * Retransforms {@code classes} at once; what the transformer registers for them counts only if the JVM takes the new
     * code (it installs all of it or none).
     *
     * @return null, or why the JVM refused
     */
    private static Throwable retransform(Instrumentation instrumentation, Class<?>... classes) {
        StagedRegistrations.begin();
        try {
            instrumentation.retransformClasses(classes);
        } catch (Throwable refused) {
            StagedRegistrations.discard();
            return refused;
        }
        StagedRegistrations.commit();
        return null;
    }
}
