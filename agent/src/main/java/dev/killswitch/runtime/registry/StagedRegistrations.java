package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.AgentOnly;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a retransformation's registrations honest when the JVM refuses its result. The JVM calls the transformer
 * first and may then refuse what it made (another agent spoilt it, or changed the class's shape): the class runs on
 * as it was, and nothing may claim it has kill points. So, while a retransformation runs on this thread, the count
 * of instrumented classes waits for the JVM's answer, and the cleanup code recorded for each class (which takes
 * effect at once: the new code may run before the JVM's call returns, and knowing more cleanup code only makes a kill
 * wait) is put back as it was if the answer is no. A refused batch installs none of its classes.
 */
public final class StagedRegistrations {
    private static final ThreadLocal<List<Entry>> STAGED = new ThreadLocal<>();

    private StagedRegistrations() {
    }

    /** One registration to make, or to undo. A class, not a lambda: it is created while a class is transformed. */
    static final class Entry {
        final String className;
        /** An instrumented class to count once the JVM took it. */
        final boolean legacy;
        final int[] killPoints;
        final long transformNanos;
        /** Or the record of cleanup code to put back if it refused: the loader's, and what it was (null: none). */
        final boolean undo;
        final ClassLoader loader;
        final CleanupRegions.Defined before;

        Entry(String className, boolean legacy, int[] killPoints, long transformNanos) {
            this.className = className;
            this.legacy = legacy;
            this.killPoints = killPoints;
            this.transformNanos = transformNanos;
            this.undo = false;
            this.loader = null;
            this.before = null;
        }

        Entry(ClassLoader loader, String className, CleanupRegions.Defined before) {
            this.className = className;
            this.legacy = false;
            this.killPoints = null;
            this.transformNanos = 0;
            this.undo = true;
            this.loader = loader;
            this.before = before;
        }
    }

    /** From now until {@link #commit} or {@link #discard}, what is registered for a retransformed class on this thread waits. */
    public static void begin() {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "stage registrations");
        STAGED.set(new ArrayList<>());
    }

    /** The JVM took the new code: the classes are counted as instrumented, in order. */
    public static void commit() {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "stage registrations");
        List<Entry> staged = STAGED.get();
        STAGED.remove();
        if (staged != null) {
            for (Entry e : staged) {
                if (!e.undo) {
                    InstrumentedClasses.put(e.className, e.legacy, true, e.killPoints, e.transformNanos);
                }
            }
        }
    }

    /** The JVM refused the new code: nothing is counted, and the records of cleanup code are put back, newest last. */
    public static void discard() {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "stage registrations");
        List<Entry> staged = STAGED.get();
        STAGED.remove();
        if (staged != null) {
            for (int i = staged.size() - 1; i >= 0; i--) {
                Entry e = staged.get(i);
                if (e.undo) {
                    CleanupRegions.restore(e.loader, e.className, e.before);
                }
            }
        }
    }

    /** True if {@code e}, an instrumented class to count, was kept back for a retransformation under way here. */
    static boolean stage(Entry e) {
        List<Entry> staged = STAGED.get();
        if (staged == null) {
            return false;
        }
        staged.add(e);
        return true;
    }

    /** The cleanup-code record of a class is being replaced: remembered, to be put back if the JVM refuses. */
    static void replacing(ClassLoader loader, String className, CleanupRegions.Defined before) {
        List<Entry> staged = STAGED.get();
        if (staged != null) {
            staged.add(new Entry(loader, className, before));
        }
    }
}
