package dev.killswitch.runtime.registry;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the {@link MethodSwitch} of a method: by class and method when a kill point is linked (or by number,
 * {@link SwitchNumbers}), and by stack frame (class name and method name) when a kill is armed. Holds no strong
 * reference to any class, so instrumented classes can still be unloaded.
 */
public final class SwitchRegistry {

    /** Shared by classes older than Java 7 that were transformed after kill-point numbers ran out (they have no invokedynamic). */
    public static final MethodSwitch LEGACY = new MethodSwitch("(class files older than Java 7)", "(all methods)");

    private static final ClassValue<ConcurrentHashMap<String, MethodSwitch>> BY_CLASS = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<String, MethodSwitch> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /** "class.method" to the switches of every overload, in every class loader. */
    private static final ConcurrentHashMap<String, List<WeakReference<MethodSwitch>>> BY_FRAME = new ConcurrentHashMap<>();

    private SwitchRegistry() {
    }

    public static MethodSwitch forMethod(Class<?> owner, String methodName) {
        ConcurrentHashMap<String, MethodSwitch> switches = BY_CLASS.get(owner);
        MethodSwitch existing = switches.get(methodName);
        if (existing != null) {
            return existing;
        }
        MethodSwitch created = new MethodSwitch(owner.getName(), methodName);
        existing = switches.putIfAbsent(methodName, created);
        if (existing != null) {
            return existing;
        }
        return register(created);
    }

    /** Makes {@code created} one of the switches that kills arm by stack frame; for a switch of numbered kill points ({@link SwitchNumbers}). */
    static MethodSwitch register(MethodSwitch created) {
        String key = frameKey(created.className, created.methodName);
        synchronized (BY_FRAME) {
            List<WeakReference<MethodSwitch>> list = BY_FRAME.get(key);
            List<WeakReference<MethodSwitch>> next = new ArrayList<>(list == null ? 1 : list.size() + 1);
            if (list != null) {
                for (WeakReference<MethodSwitch> ref : list) {
                    if (ref.get() != null) {
                        next.add(ref);
                    }
                }
            }
            next.add(new WeakReference<>(created));
            BY_FRAME.put(key, next);
        }
        return created;
    }

    /** Every switch that may run the code of {@code frame}. */
    public static List<MethodSwitch> forFrame(StackTraceElement frame) {
        String className = frame.getClassName();
        List<MethodSwitch> switches = new ArrayList<>(2);
        if (InstrumentedClasses.isLegacy(className)) {
            switches.add(LEGACY);
        }
        List<WeakReference<MethodSwitch>> list = BY_FRAME.get(frameKey(className, frame.getMethodName()));
        if (list != null) {
            for (WeakReference<MethodSwitch> ref : list) {
                MethodSwitch s = ref.get();
                if (s != null) {
                    switches.add(s);
                }
            }
        }
        return switches;
    }

    /**
     * Every switch of every method of the frame's class. For a frame that runs a method's code from
     * before the agent was attached: it has no kill points itself, and the methods of its own class
     * that it calls are the likeliest place to catch it. A rare, explicit case, so a scan is fine.
     */
    public static List<MethodSwitch> forClassOf(StackTraceElement frame) {
        return forClass(frame.getClassName(), false);
    }

    /**
     * Every switch of every method of the class {@code className}, and with {@code nested} of its nested classes
     * ({@code Outer$...}): where a selected method's callbacks live (its lambdas' bodies are its own methods; its
     * anonymous classes, closures and Kotlin lambdas are nested in it). Linked switches only: a method that never
     * ran has none.
     */
    public static List<MethodSwitch> forClass(String className, boolean nested) {
        String prefix = className + '.';
        String nestedPrefix = className + '$';
        List<MethodSwitch> switches = new ArrayList<>();
        for (Map.Entry<String, List<WeakReference<MethodSwitch>>> e : BY_FRAME.entrySet()) {
            String key = e.getKey();
            boolean own = key.startsWith(prefix) && key.indexOf('.', prefix.length()) < 0;
            if (own || nested && key.startsWith(nestedPrefix)) {
                for (WeakReference<MethodSwitch> ref : e.getValue()) {
                    MethodSwitch s = ref.get();
                    if (s != null) {
                        switches.add(s);
                    }
                }
            }
        }
        return switches;
    }

    /** Every switch of every method of the classes named: one pass over the registry, however many classes. */
    public static List<MethodSwitch> forClasses(Set<String> classNames) {
        List<MethodSwitch> switches = new ArrayList<>();
        if (classNames.isEmpty()) {
            return switches;
        }
        for (Map.Entry<String, List<WeakReference<MethodSwitch>>> e : BY_FRAME.entrySet()) {
            String key = e.getKey();
            if (classNames.contains(key.substring(0, key.lastIndexOf('.')))) { // method names have no dots
                for (WeakReference<MethodSwitch> ref : e.getValue()) {
                    MethodSwitch s = ref.get();
                    if (s != null) {
                        switches.add(s);
                    }
                }
            }
        }
        return switches;
    }

    /** Number of methods whose kill points have been linked so far. */
    public static int linkedMethods() {
        int n = 0;
        for (List<WeakReference<MethodSwitch>> list : BY_FRAME.values()) {
            n += list.size();
        }
        return n;
    }

    private static String frameKey(String className, String methodName) {
        return className + '.' + methodName;
    }
}
