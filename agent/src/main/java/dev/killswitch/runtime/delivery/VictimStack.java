package dev.killswitch.runtime.delivery;

import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.registry.CleanupRegions;

import java.util.function.Consumer;

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
    /** The JDK class that runs class file transformers: it catches whatever they throw, and goes on. */
    private static final String TRANSFORMER_MANAGER = "sun.instrument.TransformerManager";
    /** Where {@code callWithDeadline} runs its task, and catches the kill of an overrun. */
    private static final String DEADLINE_CALL = "dev.killswitch.runtime.retrofit.Deadlines";
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final String anchorClass;
    private final String anchorMethod;
    private int callersToSkip;
    private boolean pastRuntime;
    /** The innermost frame running cleanup code, as {@code Class.method(File:line)}, or null. */
    String cleanup;
    /** The innermost frame of code from before its class was instrumented whose handler would swallow the kill, or null. */
    String catcher;
    /** The class file transformer the JVM is running on this thread (it drops whatever one throws), or null. */
    String transformer;
    /** The innermost static initialiser running on this thread, or null: a kill there would spoil its class for good. */
    private String initialiser;
    /** The innermost static initialiser above the outermost {@code callWithDeadline} frame, or null. */
    private String initialiserAboveDeadlineCall;
    private boolean deadlineCallSeen;
    boolean anchorFound;
    private StackWalker.StackFrame previous;

    /**
     * From a sample: whether the thread runs a class file transformer, or (unless {@code escalated}) a static
     * initialiser, where a kill waits. Waking it there (an interrupt, a closed socket) would break that work as surely
     * as a kill landing in it: an initialiser that fails on the interrupt fails its class for good.
     */
    public static boolean mustNotBeWoken(StackTraceElement[] sample, boolean escalated, boolean deadlineCall) {
        boolean initialising = false;
        boolean initialisingAboveDeadlineCall = false;
        boolean deadlineCallSeen = false;
        for (StackTraceElement e : sample) {
            if (e.getClassName().equals(TRANSFORMER_MANAGER)) {
                return true;
            }
            initialising |= e.getMethodName().equals("<clinit>");
            if (e.getClassName().equals(DEADLINE_CALL) && e.getMethodName().equals("call")) {
                deadlineCallSeen = true;
                initialisingAboveDeadlineCall = initialising;
            }
        }
        return !escalated && (deadlineCall && deadlineCallSeen ? initialisingAboveDeadlineCall : initialising);
    }

    /**
     * The static initialiser a kill must not land in, or null. The kill of a {@code callWithDeadline} that overran is
     * caught where that call returns: initialisers below it never see the kill (at worst, an initialiser between the
     * innermost and the outermost such call counts, which only makes the kill wait).
     */
    String initialiser(boolean deadlineCall) {
        return deadlineCall && deadlineCallSeen ? initialiserAboveDeadlineCall : initialiser;
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
        if (!pastRuntime) {
            if (type.getName().startsWith("dev.killswitch.")) {
                return; // the runtime's frames, on top
            }
            pastRuntime = true;
        }
        if (transformer == null && type.getName().equals(TRANSFORMER_MANAGER)) {
            transformer = Diagnosis.frame((previous == null ? f : previous).toStackTraceElement());
        }
        if (initialiser == null && f.getMethodName().equals("<clinit>")) {
            initialiser = Diagnosis.frame(f.toStackTraceElement());
        }
        if (type.getName().equals(DEADLINE_CALL) && f.getMethodName().equals("call")) {
            deadlineCallSeen = true;
            initialiserAboveDeadlineCall = initialiser;
        }
        if (!type.getName().startsWith("java.lang.instrument.")) {
            previous = f; // the transformer's own frame, not the interface's default method that calls it
        }
        if (anchorClass != null && !anchorFound && f.getMethodName().equals(anchorMethod) && type.getName().equals(anchorClass)) {
            anchorFound = true;
        }
        if (callersToSkip > 0) {
            callersToSkip--;
            return;
        }
        if (cleanup == null || catcher == null) {
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
