package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.AgentOnly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the transformer registers while a retransformation runs on this thread, kept back until the JVM has taken the
 * new code. The JVM calls the transformer first and may then refuse the result (another agent spoilt it, or changed
 * the class's shape): the class runs on as it was, and nothing may claim it has kill points, or cleanup code at the
 * offsets of code it does not run. A refused batch installs none of its classes, so the whole batch is discarded.
 */
public final class StagedRegistrations {
    private static final ThreadLocal<List<Entry>> STAGED = new ThreadLocal<>();

    private StagedRegistrations() {
    }

    /** One call of a registry, to make later. A class, not a lambda: it is created while a class is transformed. */
    static final class Entry {
        final ClassLoader loader;
        final String className;
        final Map<String, int[][]> regions;
        final Map<String, int[][]> replaced;
        final boolean namesSource;
        final boolean cleanup;
        final boolean legacy;
        final int[] killPoints;
        final long transformNanos;

        Entry(ClassLoader loader, String className, Map<String, int[][]> regions, Map<String, int[][]> replaced, boolean namesSource) {
            this.loader = loader;
            this.className = className;
            this.regions = regions;
            this.replaced = replaced;
            this.namesSource = namesSource;
            this.cleanup = true;
            this.legacy = false;
            this.killPoints = null;
            this.transformNanos = 0;
        }

        Entry(String className, boolean legacy, int[] killPoints, long transformNanos) {
            this.loader = null;
            this.className = className;
            this.regions = null;
            this.replaced = null;
            this.namesSource = false;
            this.cleanup = false;
            this.legacy = legacy;
            this.killPoints = killPoints;
            this.transformNanos = transformNanos;
        }

        void apply() {
            if (cleanup) {
                CleanupRegions.putRetransformed(loader, className, regions, replaced, namesSource);
            } else {
                InstrumentedClasses.put(className, legacy, true, killPoints, transformNanos);
            }
        }
    }

    /** From now until {@link #commit} or {@link #discard}, what is registered for a retransformed class on this thread waits. */
    public static void begin() {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "stage registrations");
        STAGED.set(new ArrayList<>());
    }

    /** The JVM took the new code: what was registered for it takes effect, in order. */
    public static void commit() {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "stage registrations");
        List<Entry> staged = STAGED.get();
        STAGED.remove();
        if (staged != null) {
            for (Entry e : staged) {
                e.apply();
            }
        }
    }

    /** The JVM refused the new code: what was registered for it is forgotten. */
    public static void discard() {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "stage registrations");
        STAGED.remove();
    }

    /** True if {@code e} was kept back for a retransformation under way on this thread. */
    static boolean stage(Entry e) {
        List<Entry> staged = STAGED.get();
        if (staged == null) {
            return false;
        }
        staged.add(e);
        return true;
    }

    /** True while a retransformation is under way on this thread. */
    static boolean active() {
        return STAGED.get() != null;
    }
}
