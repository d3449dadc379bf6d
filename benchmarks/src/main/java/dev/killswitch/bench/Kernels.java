package dev.killswitch.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** The kernels of the idle-overhead benchmark, by name, with their sizes. */
final class Kernels {
    /** Name to "class:size"; the order is the order of the report. */
    static final Map<String, String> ALL = new LinkedHashMap<>();

    static {
        ALL.put("intSum8k", "IntSum:8192");
        ALL.put("intSum1m", "IntSum:1048576");
        ALL.put("conditionalLoops", "ConditionalLoops:8192");
        ALL.put("vectorAdd", "VectorAdd:8192");
        ALL.put("matrixMultiply", "MatrixMultiply:128");
        ALL.put("listWalk", "ListWalk:100000");
        ALL.put("callLoop", "CallLoop:10000");
        ALL.put("fibonacci", "Fibonacci:25");
        ALL.put("stringBuilding", "StringBuilding:1000");
        ALL.put("hashMap", "HashMapHeavy:1000");
        ALL.put("commonsMathFft", "Fft:4096");
        ALL.put("lockUnlock", "BlockingFastPaths$LockUnlock:1000");
        ALL.put("queuePutTake", "BlockingFastPaths$QueuePutTake:1000");
        ALL.put("completedJoin", "BlockingFastPaths$CompletedJoin:1000");
        ALL.put("semaphore", "BlockingFastPaths$SemaphoreAcquire:1000");
    }

    private Kernels() {
    }

    static LongSupplier create(String kernel, boolean killable) {
        String[] spec = ALL.get(kernel).split(":");
        KernelLoader loader = killable ? KernelLoader.killable() : KernelLoader.original();
        try {
            Class<?> c = Class.forName("com.acme.kernels." + spec[0], true, loader);
            return (LongSupplier) c.getConstructor(int.class).newInstance(Integer.parseInt(spec[1]));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("kernel " + kernel, e);
        }
    }
}
