package dev.killswitch.runtime.diagnosis;

import dev.killswitch.runtime.RuntimePackages;
import dev.killswitch.runtime.registry.InstrumentedClasses;

/**
 * Why a kill has not landed, read from the thread's current state and stack: not alive, BLOCKED on a
 * monitor (and who holds it), in native code, or in code without kill points (and where). Shared by
 * kill handles, the MXBean and the command-line tool.
 */
public final class Diagnosis {
    private static final String REGEX = "java.util.regex.";
    private Diagnosis() {
    }

    /** Samples {@code thread} now. Costs a stack sample (a handshake with that thread, or a safepoint on JDK 17). */
    public static String of(Thread thread) {
        if (!thread.isAlive()) {
            return thread.getState() == Thread.State.NEW ? "it has not been started" : "it is not alive";
        }
        Thread.State state = thread.getState();
        if (state == Thread.State.BLOCKED) {
            String monitor = MonitorOwners.describe(thread);
            if (monitor != null) {
                return monitor;
            }
        }
        return ofStack(thread.getStackTrace(), state);
    }

    public static String ofStack(StackTraceElement[] stack, Thread.State state) {
        if (stack.length == 0) {
            return "its stack is empty (it is starting or ending)";
        }
        int runtime = runtimeFramesOnTop(stack);
        if (runtime > 0 && runtime < stack.length && InstrumentedClasses.contains(stack[runtime].getClassName())) {
            return "it is at a kill point in selected code at " + frame(stack[runtime]) + ", where the kill may not land yet"
                    + " (cleanup code on its stack, or too little stack left there to throw it)";
        }
        StackTraceElement top = stack[0];
        StackTraceElement selected = firstSelected(stack);
        if (selected == top) {
            return predatesAttach(top)
                    ? "it is running " + frame(top) + ", " + oldFrame(top) + ": it keeps running"
                    + " the old code, which has no kill points, until it returns; the kill lands in the next selected code it calls"
                    : "it is running selected code at " + frame(top);
        }
        String where = at(top);
        if (selected == null) {
            return "it is " + where + " and no selected code is on its stack";
        }
        String waiting = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING ? " (" + state + ")" : "";
        if (predatesAttach(selected)) {
            return "it is " + where + waiting + ", called from " + frame(selected) + ", " + oldFrame(selected)
                    + " and runs old code without kill points: the kill lands in the next selected code it calls";
        }
        return "it is " + where + waiting + ", called from selected code at " + frame(selected)
                + ": the kill lands when control returns there";
    }

    /** True if a frame of {@code stack} runs the method {@code methodName} of a class named {@code className}. */
    public static boolean runs(StackTraceElement[] stack, String className, String methodName) {
        for (StackTraceElement f : stack) {
            if (f.getMethodName().equals(methodName) && f.getClassName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** {@code in native code at ...} or {@code in code without kill points at ...}. */
    public static String at(StackTraceElement top) {
        if (top.getClassName().startsWith(REGEX) && !top.isNativeMethod()) {
            return "in the JDK's regular expressions at " + frame(top) + ", which have no kill points unless asked for"
                    + " (include-jdk=java.util.regex lets a kill land there)";
        }
        if (top.getClassName().indexOf('/') >= 0) {
            return "in a hidden class (a lambda's or a proxy's), which cannot be instrumented, at " + frame(top);
        }
        return (top.isNativeMethod() ? "in native code at " : "in code without kill points at ") + frame(top);
    }

    /** Why a frame of old code has no kill points: it started before its class got them. */
    private static String oldFrame(StackTraceElement f) {
        return "a frame that started before " + (InstrumentedClasses.wasInstrumentedOnDemand(f.getClassName())
                ? "its class was instrumented on demand" : "the agent was attached");
    }

    /**
     * How many frames on top belong to the runtime deciding at a kill point (and the JDK code it calls), with the
     * method-handle frames that called the runtime (an {@code invokedynamic} redirect or kill point, whose linking
     * frames a sample from another thread shows).
     */
    private static int runtimeFramesOnTop(StackTraceElement[] stack) {
        int last = -1;
        for (int i = 0; i < stack.length && i < 40; i++) {
            String c = stack[i].getClassName();
            if (RuntimePackages.isRuntimeClass(c)) {
                last = i;
            } else if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                break;
            }
        }
        int below = last + 1;
        while (last >= 0 && below < stack.length && stack[below].getClassName().startsWith("java.lang.invoke.")) {
            below++;
        }
        return below;
    }

    /**
     * A frame of a retransformed class that still runs the code from before: HotSpot reports no source
     * file for such an obsolete method, although the new version of the class has one. (A retransformed
     * class compiled without source-file information looks the same; the message then errs on the side of
     * explaining why no kill point is reached.)
     */
    public static boolean predatesAttach(StackTraceElement frame) {
        return frame.getFileName() == null && !frame.isNativeMethod() && InstrumentedClasses.wasRetransformed(frame.getClassName());
    }

    /**
     * A frame as {@code com.acme.Job.run(Job.java:12)}: without the class loader and module prefixes
     * ({@code app//}, {@code java.base@17/}) of {@link StackTraceElement#toString()}, for one-line reports.
     */
    public static String frame(StackTraceElement f) {
        return new StackTraceElement(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber()).toString();
    }

    /** The innermost frame of an instrumented class, or null. */
    public static StackTraceElement firstSelected(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            if (InstrumentedClasses.contains(f.getClassName())) {
                return f;
            }
        }
        return null;
    }
}
