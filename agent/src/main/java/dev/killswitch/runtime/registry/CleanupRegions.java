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

    /** What a frame at a kill point means for a pending kill: nothing, cleanup code (the kill waits), or both. */
    public static final int CLEANUP = 1;
    /** A frame of code from before instrumentation where a handler would catch the kill and go on: it must not land. */
    public static final int CATCHES = 2;

    private static final int[] NONE = new int[0];

    /**
     * One method's regions, line table and cleanup-only lines (see the transformer's CleanupRegionMarks); for code
     * that frames from before a retransformation still run, also where a handler would swallow a kill.
     */
    static final class Method {
        private final int[] regions;
        private final int[] lines;
        private final int[] cleanupOnlyLines;
        private final int[] catching;
        private final int[] catchingOnlyLines;

        Method(int[] regions, int[] lines, int[] cleanupOnlyLines, int[] catching, int[] catchingOnlyLines) {
            this.regions = regions;
            this.lines = lines;
            this.cleanupOnlyLines = cleanupOnlyLines;
            this.catching = catching;
            this.catchingOnlyLines = catchingOnlyLines;
        }

        /**
         * True if a frame at {@code bci}, reported at {@code line}, runs cleanup code. If the line this code
         * has at that offset is not the frame's, another agent changed the method after this one: then the
         * lines that hold cleanup code only decide.
         */
        boolean contains(int bci, int line) {
            int expected = lineAt(bci);
            if (expected >= 0 && line >= 0 && expected != line) {
                return Arrays.binarySearch(cleanupOnlyLines, line) >= 0;
            }
            return within(regions, bci);
        }

        boolean catches(int bci, int line) {
            int expected = lineAt(bci);
            if (expected >= 0 && line >= 0 && expected != line) {
                return Arrays.binarySearch(catchingOnlyLines, line) >= 0;
            }
            return within(catching, bci);
        }

        private static boolean within(int[] pairs, int bci) {
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                if (bci >= pairs[i] && bci < pairs[i + 1]) {
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
        /** The code frames from before the last retransformation may still run, by method; null if there are none. */
        final Map<String, Method> replaced;
        /** True if the class names its source file: frames of replaced code are those reported without one. */
        final boolean namesSource;

        Defined(ClassLoader loader, Map<String, Method> methods, Map<String, Method> replaced, boolean namesSource) {
            this.loader = new WeakReference<>(loader);
            this.bootstrap = loader == null;
            this.methods = methods;
            this.replaced = replaced;
            this.namesSource = namesSource;
        }

        boolean isFor(ClassLoader l) {
            return bootstrap ? l == null : loader.get() == l;
        }

        boolean isGone() {
            return !bootstrap && loader.get() == null;
        }
    }

    /**
     * Called by the transformer for a class it instrumented as it was loaded: no frame runs other code of it.
     *
     * @param regions by method name and descriptor: offsets, line table and cleanup-only lines
     */
    public static void register(ClassLoader loader, String className, Map<String, int[][]> regions) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "register cleanup code");
        put(loader, className, methods(regions), null, true);
    }

    /**
     * Called by the transformer for a class it instrumented by retransformation: the new code replaces the old, which
     * frames running at that moment keep until they return.
     *
     * @param regions as for {@link #register}
     * @param replaced what the old code had, by method: cleanup and catching offset pairs, line table, cleanup-only and
     *        catching-only lines (see the transformer's ReplacedCode); null if the old code was this
     *        agent's own (instrumented before), whose regions, known already, then stay valid for those frames
     * @param namesSource true if the class names its source file
     */
    public static void registerRetransformed(ClassLoader loader, String className, Map<String, int[][]> regions,
                                             Map<String, int[][]> replaced, boolean namesSource) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "register cleanup code");
        if (!StagedRegistrations.stage(new StagedRegistrations.Entry(loader, className, regions, replaced, namesSource))) {
            putRetransformed(loader, className, regions, replaced, namesSource);
        }
    }

    static void putRetransformed(ClassLoader loader, String className, Map<String, int[][]> regions, Map<String, int[][]> replaced,
                                 boolean namesSource) {
        Map<String, Method> old;
        if (replaced == null) {
            Defined before = definedFor(className, loader);
            old = before == null ? new HashMap<>() : before.methods;
        } else {
            old = new HashMap<>();
            for (Map.Entry<String, int[][]> e : replaced.entrySet()) {
                int[][] v = e.getValue();
                old.put(e.getKey(), new Method(v[0], v[2], v[3], v[1], v[4]));
            }
        }
        put(loader, className, methods(regions), old, namesSource);
    }

    private static Map<String, Method> methods(Map<String, int[][]> regions) {
        Map<String, Method> methods = new HashMap<>();
        for (Map.Entry<String, int[][]> e : regions.entrySet()) {
            int[][] v = e.getValue();
            methods.put(e.getKey(), new Method(v[0], v[1], v[2], NONE, NONE));
        }
        return methods;
    }

    private static void put(ClassLoader loader, String className, Map<String, Method> methods, Map<String, Method> replaced,
                            boolean namesSource) {
        Defined added = new Defined(loader, methods, replaced, namesSource);
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
            if (!methods.isEmpty() || (replaced != null && !replaced.isEmpty())) {
                next.add(added);
            }
            if (next.isEmpty()) {
                BY_CLASS.remove(className);
            } else {
                BY_CLASS.put(className, next.toArray(new Defined[0]));
            }
        }
    }

    private static Defined definedFor(String className, ClassLoader loader) {
        Defined[] defined = BY_CLASS.get(className);
        if (defined != null) {
            for (Defined d : defined) {
                if (d.isFor(loader)) {
                    return d;
                }
            }
        }
        return null;
    }

    /**
     * What a frame of a thread's own stack, at a kill point below it, means for a kill: {@link #CLEANUP} if it runs
     * cleanup code, {@link #CATCHES} if it runs code from before a retransformation where a handler would catch the
     * kill and go on, or 0.
     */
    public static int at(StackWalker.StackFrame f) {
        Defined d = definedFor(f.getDeclaringClass().getName(), f.getDeclaringClass().getClassLoader());
        if (d == null) {
            return 0;
        }
        String key = f.getMethodName() + f.getDescriptor();
        Method now = d.methods.get(key);
        Method was = d.replaced == null ? null : d.replaced.get(key);
        boolean old = false;
        boolean current = true;
        if (d.replaced != null) {
            // HotSpot reports no source file for a frame of replaced code. Without one to tell, both codes count.
            old = !d.namesSource || f.getFileName() == null;
            current = !d.namesSource || !old;
        }
        int bci = f.getByteCodeIndex();
        int verdict = 0;
        if (current && now != null && now.contains(bci, f.getLineNumber())) {
            verdict = CLEANUP;
        }
        if (old && was != null) {
            verdict |= was.contains(bci, f.getLineNumber()) ? CLEANUP : 0;
            verdict |= was.catches(bci, f.getLineNumber()) ? CATCHES : 0;
        }
        return verdict;
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
