package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.AgentOnly;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            return inside(regions, cleanupOnlyLines, bci, line);
        }

        /** True if a frame of replaced code at {@code bci}, reported at {@code line}, is where a handler would swallow a kill. */
        boolean catches(int bci, int line) {
            return inside(catching, catchingOnlyLines, bci, line);
        }

        private boolean inside(int[] pairs, int[] onlyLines, int bci, int line) {
            int expected = lineAt(bci);
            if (expected >= 0 && line >= 0 && expected != line) {
                return Arrays.binarySearch(onlyLines, line) >= 0;
            }
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                if (bci >= pairs[i] && bci < pairs[i + 1]) {
                    return true;
                }
            }
            return false;
        }

        boolean same(Method o) {
            return Arrays.equals(regions, o.regions) && Arrays.equals(lines, o.lines) && Arrays.equals(cleanupOnlyLines, o.cleanupOnlyLines)
                    && Arrays.equals(catching, o.catching) && Arrays.equals(catchingOnlyLines, o.catchingOnlyLines);
        }

        int lineAt(int bci) {
            int line = -1;
            for (int i = 0; i + 1 < lines.length && lines[i] <= bci; i += 2) {
                line = lines[i + 1];
            }
            return line;
        }
    }

    static final class Defined {
        final WeakReference<ClassLoader> loader;
        final boolean bootstrap;
        final Map<String, Method> methods;
        /**
         * The codes that frames from before each retransformation may still run, newest first, by method; empty if the
         * class was instrumented as it was loaded.
         */
        final List<Map<String, Method>> replaced;
        /** True if the class names its source file: frames of replaced code are those reported without one. */
        final boolean namesSource;

        /**
         * The names of the methods with an entry, in the code now or in any code kept for old frames: a frame of any
         * other method needs no descriptor and no line, which cost microseconds a frame (a deep stack has thousands).
         */
        final Set<String> names = new HashSet<>();

        Defined(ClassLoader loader, Map<String, Method> methods, List<Map<String, Method>> replaced, boolean namesSource) {
            this.loader = new WeakReference<>(loader);
            this.bootstrap = loader == null;
            this.methods = methods;
            this.replaced = replaced;
            this.namesSource = namesSource;
            addNames(methods.keySet());
            for (Map<String, Method> code : replaced) {
                addNames(code.keySet());
            }
        }

        private void addNames(Set<String> keys) {
            for (String key : keys) {
                int paren = key.indexOf('(');
                names.add(paren < 0 ? key : key.substring(0, paren));
            }
        }

        boolean isFor(ClassLoader l) {
            return bootstrap ? l == null : loader.get() == l;
        }

        boolean isGone() {
            return !bootstrap && loader.get() == null;
        }
    }

    /**
     * Different codes kept for old frames: past this, the older ones are forgotten (a frame that old is not expected to
     * be running), except the class as it was loaded.
     */
    private static final int MAX_REPLACED = 4;

    /**
     * Called by the transformer for a class it instrumented as it was loaded: no frame runs other code of it. Every
     * instrumented class is recorded, with or without cleanup code, so that a later retransformation knows the code it
     * replaces was this agent's.
     *
     * @param regions by method name and descriptor: offsets, line table and cleanup-only lines
     */
    public static void register(ClassLoader loader, String className, Map<String, int[][]> regions) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "register cleanup code");
        put(loader, className, new Defined(loader, methods(regions), List.of(), true));
    }

    /** True if this agent instrumented the class of that name that {@code loader} defined. */
    public static boolean instrumented(ClassLoader loader, String className) {
        return definedFor(className, loader) != null;
    }

    /**
     * Called by the transformer for a class it instrumented by retransformation: the new code replaces the old, which
     * frames running at that moment keep until they return. Takes effect at once (more cleanup code known only makes a
     * kill wait); if the JVM refuses the new code, {@link StagedRegistrations} puts the previous record back.
     *
     * @param regions as for {@link #register}
     * @param replaced what the old code had, by method: cleanup and catching offset pairs, line table, cleanup-only and
     *        catching-only lines (see the transformer's ReplacedCode); null if the old code was this agent's own,
     *        whose regions, known already, then stay valid for those frames
     * @param namesSource true if the class names its source file
     */
    public static void registerRetransformed(ClassLoader loader, String className, Map<String, int[][]> regions,
                                             Map<String, int[][]> replaced, boolean namesSource) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "register cleanup code");
        synchronized (BY_CLASS) {
            Defined before = definedFor(className, loader);
            Map<String, Method> now = methods(regions);
            List<Map<String, Method>> codes = new ArrayList<>();
            if (replaced == null) {
                addCode(codes, now, before == null ? Map.of() : before.methods);
            } else {
                Map<String, Method> old = new HashMap<>();
                for (Map.Entry<String, int[][]> e : replaced.entrySet()) {
                    int[][] v = e.getValue();
                    old.put(e.getKey(), new Method(v[0], v[2], v[3], v[1], v[4]));
                }
                codes.add(old);
            }
            if (before != null) {
                for (Map<String, Method> code : before.replaced) {
                    addCode(codes, now, code);
                }
            }
            while (codes.size() > MAX_REPLACED) {
                codes.remove(codes.size() - 2); // the oldest code, the class as it was loaded, stays
            }
            StagedRegistrations.replacing(loader, className, before);
            put(loader, className, new Defined(loader, now, codes, namesSource));
        }
    }

    /**
     * Adds a code frames may still run, unless it is the new code or one already there: retransforming again a class
     * this agent instrumented (another agent's retransformation does, again and again) makes the same code.
     */
    private static void addCode(List<Map<String, Method>> codes, Map<String, Method> now, Map<String, Method> code) {
        if (sameCode(code, now)) {
            return;
        }
        for (Map<String, Method> c : codes) {
            if (sameCode(c, code)) {
                return;
            }
        }
        codes.add(code);
    }

    private static boolean sameCode(Map<String, Method> a, Map<String, Method> b) {
        if (a == b) {
            return true;
        }
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Method> e : a.entrySet()) {
            if (!e.getValue().same(b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Puts back what was recorded for the class before a retransformation the JVM refused. */
    static void restore(ClassLoader loader, String className, Defined before) {
        synchronized (BY_CLASS) {
            put(loader, className, before);
        }
    }

    private static Map<String, Method> methods(Map<String, int[][]> regions) {
        Map<String, Method> methods = new HashMap<>();
        for (Map.Entry<String, int[][]> e : regions.entrySet()) {
            int[][] v = e.getValue();
            methods.put(e.getKey(), new Method(v[0], v[1], v[2], NONE, NONE));
        }
        return methods;
    }

    /** Replaces the record of the class {@code loader} defined with {@code added} (none if null). */
    private static void put(ClassLoader loader, String className, Defined added) {
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
            if (added != null) {
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

    /** Whether {@link #at} can find anything in a frame of this class: only instrumented classes have entries. */
    public static boolean covers(Class<?> type) {
        return definedFor(type.getName(), type.getClassLoader()) != null;
    }

    /**
     * What a frame of a thread's own stack, at a kill point below it, means for a kill: {@link #CLEANUP} if it runs
     * cleanup code, {@link #CATCHES} if it runs code from before a retransformation where a handler would catch the
     * kill and go on, or 0. Which code a frame runs: HotSpot reports no source file for a frame of replaced code; in a
     * class without one, the frame's line against each code's line at its offset tells, where it can; else every code
     * that may be running counts.
     */
    public static int at(StackWalker.StackFrame f) {
        Defined d = definedFor(f.getDeclaringClass().getName(), f.getDeclaringClass().getClassLoader());
        if (d == null || !d.names.contains(f.getMethodName())) {
            return 0;
        }
        String key = f.getMethodName() + f.getDescriptor();
        Method now = d.methods.get(key);
        int bci = f.getByteCodeIndex();
        int line = f.getLineNumber();
        boolean old = false;
        boolean current = true;
        if (!d.replaced.isEmpty()) {
            if (d.namesSource) {
                old = f.getFileName() == null;
                current = !old;
            } else {
                boolean nowMatches = now != null && line >= 0 && now.lineAt(bci) == line;
                boolean oldMatches = false;
                for (Map<String, Method> code : d.replaced) {
                    Method was = code.get(key);
                    oldMatches |= was != null && line >= 0 && was.lineAt(bci) == line;
                }
                current = nowMatches || !oldMatches;
                old = oldMatches || !nowMatches;
            }
        }
        int verdict = current && now != null && now.contains(bci, line) ? CLEANUP : 0;
        for (int i = 0; old && i < d.replaced.size(); i++) {
            Method was = d.replaced.get(i).get(key);
            if (was != null) {
                verdict |= was.contains(bci, line) ? CLEANUP : 0;
                verdict |= was.catches(bci, line) ? CATCHES : 0;
            }
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
