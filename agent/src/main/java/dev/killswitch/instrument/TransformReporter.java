package dev.killswitch.instrument;

import dev.killswitch.instrument.killpoints.KillPointInserter;
import dev.killswitch.runtime.killpoints.KillPointKind;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Tells people what the transformer did: each failure once, and with debug=true each class it changed. */
public final class TransformReporter {
    private final boolean debug;
    private final PrintStream out;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicLong leftUnchanged = new AtomicLong();

    public TransformReporter(boolean debug, PrintStream out) {
        this.debug = debug;
        this.out = out;
    }

    public void instrumented(String className, KillPointInserter.Result result) {
        for (String method : result.skippedMethods()) {
            once(className + "." + method, "killswitch: " + className + "." + method
                    + " left without kill points: with them its code would exceed the JVM's 64 KB limit");
        }
        if (debug) {
            for (String block : result.uncheckedCatchBlocks()) {
                out.println("killswitch: " + className + ": catch block not checked, a kill it catches stays caught: " + block);
            }
            out.println("killswitch: instrumented " + className + ": "
                    + result.killPoints(KillPointKind.BACK_EDGE) + " back-edge, "
                    + result.killPoints(KillPointKind.METHOD_ENTRY) + " method-entry kill points, "
                    + result.killPoints(KillPointKind.BLOCKING_CALL) + " blocking calls, "
                    + result.killPoints(KillPointKind.CATCH_EXIT) + " catch- and finally-block exits"
                    + " (class file " + result.classFileVersion() + ", " + result.pollStyle() + ")");
        }
    }

    public void leftUnchanged(String className, Throwable why) {
        leftUnchanged.incrementAndGet();
        once(className, "killswitch: " + className + " loaded unchanged, without kill points: " + describe(why));
    }

    /** Classes the transformer selected but could not instrument. */
    public long leftUnchangedCount() {
        return leftUnchanged.get();
    }

    private void once(String key, String message) {
        if (reported.add(key)) {
            out.println(message);
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof UnsupportedClassVersionError) {
            return t.getMessage();
        }
        if (t instanceof ArrayIndexOutOfBoundsException || t instanceof IllegalArgumentException) {
            return "the class file cannot be read (" + t + ")";
        }
        return String.valueOf(t);
    }
}
