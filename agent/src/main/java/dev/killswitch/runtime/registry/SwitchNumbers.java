package dev.killswitch.runtime.registry;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MutableCallSite;
import java.lang.invoke.VarHandle;

/**
 * The switches of numbered kill points. A kill point of this form pushes its method's number, given out when the
 * class is transformed, and calls the runtime, which reads the method's switch (or, for a plain kill point, its call
 * site) from this table. Why a number and
 * not an {@code invokedynamic}: C1, whose profiling code runs every method before C2 compiles it, inlines an
 * {@code invokedynamic}'s whole chain of method handles with a counter in each (about 650 bytes of code per kill
 * point), while a call to a method it declines to inline costs it a call. C2 inlines that method at every
 * kill point and, the number being a constant, folds the table's entry, the switch's call site and its idle
 * target to nothing, as it did the {@code invokedynamic}: the table's arrays and the switch's sites are
 * {@link JitConstant}. Arming a switch changes its call site's target, which deoptimises the code that folded it.
 * Linking a switch the first time its method runs is {@link JitOutOfLine}: compiled into the lookup, it would make the
 * lookup's own code too big for C2 to inline anywhere.
 *
 * <p>A number stands for one method name of one transformed class, like the {@code invokedynamic} sites of that
 * class's methods of that name; its switch is made when one of its kill points first runs. Entries are never
 * removed: a class that is unloaded leaves the switches of its methods that ran (one small object each).
 */
public final class SwitchNumbers {
    /** Numbers per chunk of the table (a shift, so that a kill point's lookup is two array loads). */
    public static final int CHUNK_BITS = 10;
    public static final int CHUNK_MASK = (1 << CHUNK_BITS) - 1;
    private static final int CHUNKS = 1 << 14;
    /** How many numbers there are; the transformer falls back to {@code invokedynamic} kill points after that. */
    public static final int LIMIT = CHUNKS << CHUNK_BITS;

    /** The switches, by number: chunk, then entry. */
    @JitConstant
    public static final MethodSwitch[][] TABLE = new MethodSwitch[CHUNKS][];
    /**
     * The switches' plain call sites, by number, read by the plain kill points (method entries, unconditional
     * back-edges): one dependent load fewer than through the switch, which counts where the kill point is not inlined
     * by C2 (the interpreter, C1's code) and the switches are scattered over a large heap.
     */
    @JitConstant
    public static final MutableCallSite[][] SITES = new MutableCallSite[CHUNKS][];
    /** The same for the conditional kill points: by shape ({@link MethodSwitch#CONDITIONAL_TYPES}), chunk, entry. */
    @JitConstant
    public static final MutableCallSite[][][] CONDITIONAL_SITES = new MutableCallSite[MethodSwitch.CONDITIONAL_TYPES.length][CHUNKS][];

    private static String[][] names = new String[CHUNKS][];
    private static int next;

    private SwitchNumbers() {
    }

    /** A new number for the kill points of the methods named {@code methodName} in one transformation of {@code className}, or -1 if none are left. */
    public static synchronized int number(String className, String methodName) {
        if (next >= LIMIT) {
            return -1;
        }
        int n = next++;
        String[] chunk = names[n >>> CHUNK_BITS];
        if (chunk == null) {
            chunk = names[n >>> CHUNK_BITS] = new String[2 << CHUNK_BITS];
        }
        chunk[2 * (n & CHUNK_MASK)] = className;
        chunk[2 * (n & CHUNK_MASK) + 1] = methodName;
        return n;
    }

    /** {@code Class.method} of number {@code n}, or null if it was not given out. */
    public static synchronized String describe(int n) {
        if (n < 0 || n >= next) {
            return null;
        }
        String[] pair = names[n >>> CHUNK_BITS];
        return pair[2 * (n & CHUNK_MASK)] + "." + pair[2 * (n & CHUNK_MASK) + 1];
    }

    /** The switch of number {@code n}, made now if none of its kill points ran before. */
    public static MethodSwitch of(int n) { // at most 35 bytes of bytecode: C2 inlines it in every kill point
        MethodSwitch[] chunk = TABLE[n >>> CHUNK_BITS];
        if (chunk != null) {
            MethodSwitch s = chunk[n & CHUNK_MASK];
            if (s != null) {
                return s;
            }
        }
        return link(n);
    }

    /** The plain call site of number {@code n}'s switch, made now if none of its kill points ran before. */
    public static MutableCallSite site(int n) { // at most 35 bytes of bytecode, like of
        MutableCallSite[] chunk = SITES[n >>> CHUNK_BITS];
        if (chunk != null) {
            MutableCallSite s = chunk[n & CHUNK_MASK];
            if (s != null) {
                return s;
            }
        }
        return link(n).site;
    }

    /** What number {@code n}'s plain kill points call while armed, or null while it is idle (C2 folds it to null). */
    public static MethodHandle armedTarget(int n) {
        MethodHandle t = site(n).getTarget();
        return t == MethodSwitch.IDLE ? null : t;
    }

    /** The call site of number {@code n}'s conditional kill points of shape {@code shape}, made now if none ran before. */
    public static MutableCallSite conditionalSite(int n, int shape) { // at most 35 bytes of bytecode, like of
        MutableCallSite[] chunk = CONDITIONAL_SITES[shape][n >>> CHUNK_BITS];
        if (chunk != null) {
            MutableCallSite s = chunk[n & CHUNK_MASK];
            if (s != null) {
                return s;
            }
        }
        return linkConditional(n, shape);
    }

    /** What number {@code n}'s conditional kill points of shape {@code shape} call while armed, or null while idle. */
    public static MethodHandle armedTarget(int n, int shape) {
        MethodHandle t = conditionalSite(n, shape).getTarget();
        return t == MethodSwitch.CONDITIONAL_IDLE[shape] ? null : t;
    }

    @JitOutOfLine
    private static synchronized MutableCallSite linkConditional(int n, int shape) {
        MutableCallSite site = of(n).conditionalSite(shape);
        MutableCallSite[] chunk = CONDITIONAL_SITES[shape][n >>> CHUNK_BITS];
        if (chunk == null) {
            chunk = new MutableCallSite[1 << CHUNK_BITS];
            VarHandle.storeStoreFence(); // kill points read the table without the lock
            CONDITIONAL_SITES[shape][n >>> CHUNK_BITS] = chunk;
        }
        VarHandle.storeStoreFence();
        chunk[n & CHUNK_MASK] = site;
        return site;
    }

    @JitOutOfLine
    private static synchronized MethodSwitch link(int n) {
        long start = System.nanoTime();
        if (n < 0 || n >= next) {
            throw new IllegalArgumentException("no kill point has the number " + n);
        }
        MethodSwitch[] chunk = TABLE[n >>> CHUNK_BITS];
        if (chunk == null) {
            chunk = new MethodSwitch[1 << CHUNK_BITS];
            VarHandle.storeStoreFence(); // kill points read the table without the lock
            TABLE[n >>> CHUNK_BITS] = chunk;
        }
        MutableCallSite[] sites = SITES[n >>> CHUNK_BITS];
        if (sites == null) {
            sites = new MutableCallSite[1 << CHUNK_BITS];
            VarHandle.storeStoreFence();
            SITES[n >>> CHUNK_BITS] = sites;
        }
        MethodSwitch s = chunk[n & CHUNK_MASK];
        if (s == null) {
            String[] pair = names[n >>> CHUNK_BITS];
            s = SwitchRegistry.register(new MethodSwitch(pair[2 * (n & CHUNK_MASK)], pair[2 * (n & CHUNK_MASK) + 1]));
            VarHandle.storeStoreFence();
            chunk[n & CHUNK_MASK] = s;
            sites[n & CHUNK_MASK] = s.site;
            InstrumentedClasses.linked(System.nanoTime() - start);
        }
        return s;
    }
}
