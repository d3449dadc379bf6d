package dev.killswitch.runtime.ondemand;

import dev.killswitch.runtime.AgentOnly;
import dev.killswitch.runtime.registry.InstrumentedClasses;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Asks the agent to instrument the classes of a victim's frames that run code without kill points. Nothing
 * happens until a kill needs it: threads that are never killed, and classes no kill met, stay as they were.
 */
public final class OnDemand {
    /**
     * Given frames, instruments the classes of theirs that it may, and with {@code true} also the loaded classes that came
     * from the same place (jar or folder) as the top frame's; returns their names. Null: switched off.
     */
    private static volatile BiFunction<StackTraceElement[], Boolean, List<String>> instrumenter;
    /** Deliverer thread: a failure was reported already. */
    private static boolean failed;

    private OnDemand() {
    }

    /** Set by the agent when it starts, unless on-demand=none. Agent only. */
    public static void instrumentWith(BiFunction<StackTraceElement[], Boolean, List<String>> how) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "change how classes are instrumented on demand");
        instrumenter = how;
    }

    /**
     * Instruments what it may of the classes of {@code frames[0 .. above)}: the frames above the innermost one that
     * has kill points (all of them if none has). Runs in the deliverer thread, never in the victim.
     *
     * @param widen also the loaded classes from the same jar or folder as the top frame's class: for a frame of old code
     *        whose callees were not seen on the stack (the JIT inlined them), the likeliest place of those callees
     * @return the names of the classes instrumented now; empty if none
     */
    public static List<String> instrumentAbove(StackTraceElement[] frames, int above, boolean widen) {
        BiFunction<StackTraceElement[], Boolean, List<String>> how = instrumenter;
        if (how == null || above <= 0 && !widen) {
            return List.of();
        }
        try {
            return how.apply(Arrays.copyOf(frames, Math.max(above, 1)), widen);
        } catch (RuntimeException | LinkageError e) {
            // The kill goes on without it, and the classes run as they were (a class the JVM would not take is reported
            // by the instrumenter itself); said once, not at every sample.
            if (!failed) {
                failed = true;
                System.err.println("killswitch: instrumenting a victim's stack on demand failed (" + e + "); kills go on"
                        + " with the classes instrumented so far. Please report this with the line above.");
            }
            return List.of();
        }
    }

    /** {@code 2 classes instrumented on demand: a.B, c.D}; the first few, for one line. */
    public static String note(List<String> classes) {
        int shown = Math.min(classes.size(), 4);
        return classes.size() + (classes.size() == 1 ? " class" : " classes") + " instrumented on demand: "
                + String.join(", ", classes.subList(0, shown)) + (shown < classes.size() ? " and " + (classes.size() - shown) + " more" : "");
    }

    /** The index of the innermost frame of an instrumented class, or {@code frames.length}. */
    public static int innermostInstrumented(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (InstrumentedClasses.contains(frames[i].getClassName())) {
                return i;
            }
        }
        return frames.length;
    }
}
