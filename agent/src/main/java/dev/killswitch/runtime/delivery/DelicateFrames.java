package dev.killswitch.runtime.delivery;

import java.util.function.Supplier;

/**
 * The one rule for frames a kill must neither land in nor wake: a class file transformer's (the JVM drops whatever
 * one throws, so the kill is lost and the other agent's work cut short) and a static initialiser's (a kill there
 * fails its class for good), except that the kill of a {@code callWithDeadline} that overran is caught where that
 * call returns, so initialisers below it never see the kill. Fed frame by frame, innermost first, by a live walk
 * ({@link VictimStack}) and by a sample ({@link #mustNotBeWoken}).
 */
public final class DelicateFrames {
    /** The JDK class that runs every class file transformer: it catches whatever they throw, and goes on. */
    public static final String TRANSFORMER_MANAGER = "sun.instrument.TransformerManager";
    /** Where {@code callWithDeadline} runs its task, and catches the kill of an overrun. */
    private static final String DEADLINE_CALL = "dev.killswitch.runtime.retrofit.Deadlines";

    private String transformer;
    private String initialiser;
    private String initialiserAboveDeadlineCall;
    private boolean deadlineCallSeen;

    /**
     * One more frame, outward.
     *
     * @param where this frame as text, asked for only when it is the first initialiser
     * @param transformerFrame the transformer's own frame as text, asked for only when this frame is the JDK's
     *        transformer manager (the frame that called into the transformer)
     */
    void see(String className, String methodName, Supplier<String> where, Supplier<String> transformerFrame) {
        if (transformer == null && className.equals(TRANSFORMER_MANAGER)) {
            transformer = transformerFrame.get();
        }
        if (initialiser == null && methodName.equals("<clinit>")) {
            initialiser = where.get();
        }
        if (className.equals(DEADLINE_CALL) && methodName.equals("call")) {
            deadlineCallSeen = true;
            initialiserAboveDeadlineCall = initialiser;
        }
    }

    /** The class file transformer running on this thread, as text, or null. */
    String transformer() {
        return transformer;
    }

    /**
     * The static initialiser a kill must not land in, or null. For the kill of an overrun {@code callWithDeadline},
     * only initialisers above that call count (at worst, one between the innermost and the outermost such call
     * counts, which only makes the kill wait).
     */
    String initialiser(boolean deadlineCall) {
        return deadlineCall && deadlineCallSeen ? initialiserAboveDeadlineCall : initialiser;
    }

    /**
     * From a sample: whether the thread runs a class file transformer, or (unless {@code escalated}) a static
     * initialiser, where a kill waits. Waking it there (an interrupt, a closed socket) would break that work as surely
     * as a kill landing in it: an initialiser that fails on the interrupt fails its class for good.
     */
    public static boolean mustNotBeWoken(StackTraceElement[] sample, boolean escalated, boolean deadlineCall) {
        DelicateFrames frames = new DelicateFrames();
        for (StackTraceElement e : sample) {
            frames.see(e.getClassName(), e.getMethodName(), e::toString, e::toString);
        }
        return frames.transformer != null || !escalated && frames.initialiser(deadlineCall) != null;
    }
}
