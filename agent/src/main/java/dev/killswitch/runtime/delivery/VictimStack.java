package dev.killswitch.runtime.delivery;

import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.registry.CleanupRegions;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a thread with a pending kill sees on its own stack when it reaches a kill point: whether some
 * frame is running cleanup code (a catch or finally block, or a finally copy; see {@link CleanupRegions}),
 * where a kill must wait; whether a frame of code from before its class was instrumented would swallow the kill (see
 * {@code instrument.cleanup.ReplacedCode}), where it must not land; whether it runs inside a class file transformer,
 * whose errors the JVM drops, where it must not land either; whether it runs a static initialiser, which a kill
 * would leave failed for good; and whether the selected method the kill was aimed
 * at is still on it. Walked only by a thread whose kill is pending, at a kill point, so it costs nothing to anyone else.
 */
public final class VictimStack implements Consumer<StackWalker.StackFrame> {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final String anchorClass;
    private final String anchorMethod;
    private int callersToSkip;
    private boolean pastRuntime;
    /** The innermost frame running cleanup code, as {@code Class.method(File:line)}, or null. */
    String cleanup;
    /** The innermost frame of code from before its class was instrumented whose handler would swallow the kill, or null. */
    String catcher;
    /** The class file transformers and static initialiser running on this thread. */
    private final DelicateFrames delicate = new DelicateFrames();
    boolean anchorFound;
    private StackWalker.StackFrame previous;
    /*
     * A deep stack is mostly one class's frames (recursion), and a kill's look at it is often the first in a long
     * while, in code the JIT has not compiled: what is known of the previous frame's class is kept, and the texts of
     * frames are made by two suppliers made once, so that a frame costs the fewest steps. (A class instrumented while
     * the walk passes its frames counts from its next run of frames, as it did from its next frame.)
     */
    private Class<?> lastType;
    private String lastName;
    private boolean lastCovered;
    private boolean lastInterface;
    private StackWalker.StackFrame current;
    private StackWalker.StackFrame caller;
    private final Supplier<String> currentText = () -> Diagnosis.frame(current.toStackTraceElement());
    private final Supplier<String> callerText = () -> Diagnosis.frame(caller.toStackTraceElement());

    /** The class file transformer the JVM is running on this thread (it drops whatever one throws), or null. */
    String transformer() {
        return delicate.transformer();
    }

    /** The static initialiser a kill must not land in, or null: see {@link DelicateFrames#initialiser}. */
    String initialiser(boolean deadlineCall) {
        return delicate.initialiser(deadlineCall);
    }

    private VictimStack(int callersToSkip, String anchorClass, String anchorMethod) {
        this.callersToSkip = callersToSkip;
        this.anchorClass = anchorClass;
        this.anchorMethod = anchorMethod;
    }

    /**
     * Walks the current thread's stack.
     *
     * @param callersToSkip frames right below the runtime's own not to look at: 1 where a catch or finally
     *        block ends (the block being left is not a reason to wait), else 0
     * @param anchorClass with {@code anchorMethod}, the selected method to look for; null for none
     */
    public static VictimStack look(int callersToSkip, String anchorClass, String anchorMethod) {
        VictimStack v = new VictimStack(callersToSkip, anchorClass, anchorMethod);
        WALKER.forEach(v);
        return v;
    }

    @Override
    public void accept(StackWalker.StackFrame f) {
        Class<?> type = f.getDeclaringClass();
        if (type != lastType) {
            lastType = type;
            lastName = type.getName();
            lastCovered = CleanupRegions.covers(type);
            lastInterface = lastName.startsWith("java.lang.instrument.");
        }
        String className = lastName;
        if (!pastRuntime) {
            if (className.startsWith("dev.killswitch.")) {
                return; // the runtime's frames, on top
            }
            pastRuntime = true;
        }
        String methodName = f.getMethodName();
        current = f;
        caller = previous == null ? f : previous;
        delicate.see(className, methodName, currentText, callerText);
        if (!lastInterface) {
            previous = f; // the transformer's own frame, not the interface's default method that calls it
        }
        if (anchorClass != null && !anchorFound && methodName.equals(anchorMethod) && className.equals(anchorClass)) {
            anchorFound = true;
        }
        if (callersToSkip > 0) {
            callersToSkip--;
            return;
        }
        if (lastCovered && (cleanup == null || catcher == null)) {
            int verdict = CleanupRegions.at(f);
            if (cleanup == null && (verdict & CleanupRegions.CLEANUP) != 0) {
                cleanup = Diagnosis.frame(f.toStackTraceElement());
            }
            if (catcher == null && (verdict & CleanupRegions.CATCHES) != 0) {
                catcher = Diagnosis.frame(f.toStackTraceElement());
            }
        }
    }
}
