package dev.killswitch.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Each kernel, as compiled ({@code original}) and with the agent's kill points and no kill pending
 * ({@code killable}). {@link IdleReport} prints killable / original for each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,com.acme.kernels.CallLoop::step"})
public class IdleOverhead {
    /** The fork's own arguments, which arguments given to the runner replace: {@link IdleReport} adds the agent to them. */
    static final String[] JVM_ARGS = {"-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,com.acme.kernels.CallLoop::step"};

    @Param({"intSum8k", "intSum1m", "conditionalLoops", "vectorAdd", "matrixMultiply", "listWalk", "callLoop", "fibonacci",
            "stringBuilding", "hashMap", "commonsMathFft", "lockUnlock", "queuePutTake", "completedJoin", "semaphore"})
    public String kernel;

    @Param({"original", "killable"})
    public String variant;

    private LongSupplier workload;

    @Setup
    public void setUp() {
        workload = Kernels.create(kernel, variant.equals("killable"));
    }

    @Benchmark
    public long run() {
        return workload.getAsLong();
    }
}
