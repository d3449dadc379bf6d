package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.AgentOnly;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the cleanup code of each instrumented method is: its catch blocks, finally blocks and the copies
 * of finally blocks on normal paths, as bytecode offsets, recorded by the transformer
 * ({@code dev.killswitch.instrument.cleanup.CleanupRegionMarks}). A kill does not land while any frame on the
 * victim's stack is in such code (see {@code delivery.VictimStack}). Only methods with handlers have entries; no
 * class is held strongly, so instrumented classes can still be unloaded.
 */
public final class CleanupRegions {
    /** Class name to the regions of each class loader's class of that name (usually one). */
    private static final ConcurrentHashMap<String, Defined[]> BY_CLASS = new ConcurrentHashMap<>();

    private CleanupRegions() {
    }

    /** One method's regions, line table and cleanup-only lines (see the transformer's CleanupRegionMarks). */
    public static final class Method {
        private final int[] regions;
        private final int[] lines;
        private final int[] cleanupOnlyLines;

        Method(int[] regions, int[] lines, int[] cleanupOnlyLines) {
            this.regions = regions;
            this.lines = lines;
            this.cleanupOnlyLines = cleanupOnlyLines;
        }

        /**
         * True if a frame at {@code bci}, reported at {@code line}, runs cleanup code. If the line this code
         * has at that offset is not the frame's, another agent changed the method after this one: then the
         * lines that hold cleanup code only decide.
         */
        public boolean contains(int bci, int line) {
            int expected = lineAt(bci);
            if (expected >= 0 && line >= 0 && expected != line) {
                return Arrays.binarySearch(cleanupOnlyLines, line) >= 0;
            }
            for (int i = 0; i + 1 < regions.length; i += 2) {
                if (bci >= regions[i] && bci < regions[i + 1]) {
                    return true;
                }
            }
            return false;
        }

        private int lineAt(int bci) {
            int line = -1;
            for (int i = 0; i + 1 < lines.length && lines[i] <= bci; i += 2) {
                line = lines[i + 1];
            }
            return line;
        }
    }

    private static final class Defined {
        final WeakReference<ClassLoader> loader;
        final boolean bootstrap;
        final Map<String, Method> methods;

        Defined(ClassLoader loader, Map<String, Method> methods) {
            this.loader = new WeakReference<>(loader);
            this.bootstrap = loader == null;
            this.methods = methods;
        }

        boolean isFor(ClassLoader l) {
            return bootstrap ? l == null : loader.get() == l;
        }

        boolean isGone() {
            return !bootstrap && loader.get() == null;
        }
    }

    /**
     * Called by the transformer for a class it instrumented (again, after a retransformation: the new
     * code replaces the old).
     *
     * @param regions by method name and descriptor: offsets, line table and cleanup-only lines
     */
    public static void register(ClassLoader loader, String className, Map<String, int[][]> regions) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "register cleanup code");
        Map<String, Method> methods = new HashMap<>();
        for (Map.Entry<String, int[][]> e : regions.entrySet()) {
            int[][] v = e.getValue();
            methods.put(e.getKey(), new Method(v[0], v[1], v[2]));
        }
        Defined added = new Defined(loader, methods);
        synchronized (BY_CLASS) {
            List<Defined> next = new ArrayList<>();
            Defined[] old = BY_CLASS.get(className);
            if (old != null) {
                for (Defined d : old) {
                    if (!d.isGone() && !d.isFor(loader)) {
                        next.add(d);
                    }
                }
            }
            if (!methods.isEmpty()) {
                next.add(added);
            }
            if (next.isEmpty()) {
                BY_CLASS.remove(className);
            } else {
                BY_CLASS.put(className, next.toArray(new Defined[0]));
            }
        }
    }

    /** The regions of one method of a loaded class, or null if it has none (or was not instrumented). */
    public static Method of(Class<?> declaring, String methodName, String descriptor) {
        Defined[] defined = BY_CLASS.get(declaring.getName());
        if (defined == null) {
            return null;
        }
        ClassLoader loader = declaring.getClassLoader();
        for (Defined d : defined) {
            if (d.isFor(loader)) {
                return d.methods.get(methodName + descriptor);
            }
        }
        return null;
    }

    /**
     * True if a frame of this stack sample (of another thread: no bytecode indexes) is on a source line that
     * holds cleanup code only, in any class of that name and any method of that name. A line that holds other
     * code too does not count, so this may miss cleanup code, never the other way round.
     */
    public static boolean onCleanupLine(StackTraceElement[] frames) {
        for (StackTraceElement f : frames) {
            Defined[] defined = BY_CLASS.get(f.getClassName());
            if (defined == null || f.getLineNumber() < 0) {
                continue;
            }
            String prefix = f.getMethodName() + "(";
            for (Defined d : defined) {
                for (Map.Entry<String, Method> m : d.methods.entrySet()) {
                    if (m.getKey().startsWith(prefix) && Arrays.binarySearch(m.getValue().cleanupOnlyLines, f.getLineNumber()) >= 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** For tests and the soak: how many classes have regions recorded. */
    static int classes() {
        return BY_CLASS.size();
    }
}
