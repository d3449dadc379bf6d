package dev.killswitch.instrument;

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

    /** True with debug=true: then each class changed is reported. */
    public boolean debug() {
        return debug;
    }

    /** Prints a line of debug output. */
    public void debugLine(String line) {
        out.println(line);
    }

    /** Prints {@code message} the first time {@code key} is reported. */
    public void once(String key, String message) {
        if (reported.add(key)) {
            out.println(message);
        }
    }

    public void leftUnchanged(String className, Throwable why) {
        leftUnchanged.incrementAndGet();
        once(className, "killswitch: " + className + " loaded unchanged, without kill points: " + why(why));
    }

    /** Classes the transformer selected but could not instrument. */
    public long leftUnchangedCount() {
        return leftUnchanged.get();
    }

    /** Why a class could not be changed, as a sentence for the user: what the JVM or ASM said, not an exception's name. */
    public static String why(Throwable t) {
        if (t instanceof UnsupportedClassVersionError) {
            return t.getMessage();
        }
        if (t instanceof ArrayIndexOutOfBoundsException || t instanceof IllegalArgumentException) {
            return "the class file cannot be read" + detail(t);
        }
        if (t instanceof ClassFormatError) {
            return "the JVM found the new class file malformed, as the transformers (this agent's and any other agent's) left it" + detail(t);
        }
        if (t instanceof VerifyError) {
            return "the JVM's verifier rejected the new code" + detail(t);
        }
        if (t instanceof UnsupportedOperationException) {
            return "the JVM does not allow this change to a loaded class" + detail(t);
        }
        if (t instanceof java.lang.instrument.UnmodifiableClassException) {
            return "the JVM does not let this class be changed" + detail(t);
        }
        String message = t.getMessage();
        return message != null && !message.isEmpty() ? message : "an unexpected " + t.getClass().getSimpleName() + " in the agent";
    }

    private static String detail(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isEmpty() ? "" : " (" + message + ")";
    }
}
