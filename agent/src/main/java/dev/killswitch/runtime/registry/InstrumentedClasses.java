package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.AgentOnly;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The names of the classes the agent instrumented, and kill-point totals. The transformer reports
 * here; the deliverer asks here whether a stack frame runs selected code.
 */
public final class InstrumentedClasses {
    private static final int LEGACY = 1;
    private static final int MODERN = 2;
    private static final int RETRANSFORMED = 4;
    private static final int ON_DEMAND = 8;

    private static final ConcurrentHashMap<String, Integer> CLASSES = new ConcurrentHashMap<>();
    private static final LongAdder[] KILL_POINTS = new LongAdder[KillPointKind.values().length];
    private static final LongAdder TRANSFORM_NANOS = new LongAdder();
    private static final LongAdder LINKED_SITES = new LongAdder();
    private static final LongAdder LINK_NANOS = new LongAdder();
    private static final LongAdder ON_DEMAND_CLASSES = new LongAdder();

    static {
        for (int i = 0; i < KILL_POINTS.length; i++) {
            KILL_POINTS[i] = new LongAdder();
        }
    }

    private InstrumentedClasses() {
    }

    /**
     * Records an instrumented class.
     *
     * @param className binary name with dots, as in stack traces
     * @param legacy true if its kill points use the shared switch (class files older than Java 7)
     * @param retransformed true if the class was loaded before and now gets its kill points by retransformation
     * @param killPoints kill points inserted, indexed by {@link KillPointKind#ordinal()}
     * @param transformNanos time the transformation took
     */
    public static void register(String className, boolean legacy, boolean retransformed, int[] killPoints, long transformNanos) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "register an instrumented class");
        if (retransformed && StagedRegistrations.stage(new StagedRegistrations.Entry(className, legacy, killPoints, transformNanos))) {
            return; // until the JVM has taken the new code
        }
        put(className, legacy, retransformed, killPoints, transformNanos);
    }

    static void put(String className, boolean legacy, boolean retransformed, int[] killPoints, long transformNanos) {
        TRANSFORM_NANOS.add(transformNanos);
        int flags = (legacy ? LEGACY : MODERN) | (retransformed ? RETRANSFORMED : 0);
        Integer old;
        for (;;) { // merge without a lambda: this runs in the first class the agent transforms
            old = CLASSES.putIfAbsent(className, flags);
            if (old == null || (old & flags) == flags || CLASSES.replace(className, old, old | flags)) {
                break;
            }
        }
        if (retransformed && old != null) {
            return; // instrumented again (another agent retransformed it): its kill points are counted already
        }
        for (int i = 0; i < KILL_POINTS.length && i < killPoints.length; i++) {
            KILL_POINTS[i].add(killPoints[i]);
        }
    }

    /** True if a class of this name was instrumented (in any class loader). */
    public static boolean contains(String className) {
        return CLASSES.containsKey(className);
    }

    static boolean isLegacy(String className) {
        Integer flags = CLASSES.get(className);
        return flags != null && (flags & LEGACY) != 0;
    }

    /** True if the class got its kill points by retransformation, so frames older than that may run its old code. */
    public static boolean wasRetransformed(String className) {
        Integer flags = CLASSES.get(className);
        return flags != null && (flags & RETRANSFORMED) != 0;
    }

    /** Records that a kill had the class instrumented, when it found it on its victim's stack. Agent only. */
    public static void instrumentedOnDemand(String className) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "register an instrumented class");
        for (;;) {
            Integer old = CLASSES.get(className);
            if (old == null || (old & ON_DEMAND) != 0) {
                return;
            }
            if (CLASSES.replace(className, old, old | ON_DEMAND)) {
                ON_DEMAND_CLASSES.increment();
                return;
            }
        }
    }

    /** True if a kill had the class instrumented on demand (its older frames may run its old code). */
    public static boolean wasInstrumentedOnDemand(String className) {
        Integer flags = CLASSES.get(className);
        return flags != null && (flags & ON_DEMAND) != 0;
    }

    /** Classes that kills had instrumented on demand so far. */
    public static long countOnDemand() {
        return ON_DEMAND_CLASSES.sum();
    }

    public static int count() {
        return CLASSES.size();
    }

    public static long killPoints(KillPointKind kind) {
        return KILL_POINTS[kind.ordinal()].sum();
    }

    /** Time spent transforming the instrumented classes. */
    public static long transformNanos() {
        return TRANSFORM_NANOS.sum();
    }

    public static void linked(long nanos) {
        LINKED_SITES.increment();
        LINK_NANOS.add(nanos);
    }

    /** Kill-point call sites and numbered switches linked so far (each links once, the first time one of its kill points runs). */
    public static long linkedSites() {
        return LINKED_SITES.sum();
    }

    public static long linkNanos() {
        return LINK_NANOS.sum();
    }
}
