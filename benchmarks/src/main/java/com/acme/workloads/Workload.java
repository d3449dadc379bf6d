package com.acme.workloads;

import dev.killswitch.bench.ProbeArgs;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The main class of a workloads child JVM, started with the agent or without it. A workload is one operation of a real
 * library, repeated: warmed up for some seconds, then timed for some seconds. Every operation returns a checksum of
 * what it produced, and every one must equal the first: an instrumentation that broke the library cannot pass as fast.
 *
 * <pre>
 * java -cp ... com.acme.workloads.Workload NAME WARMUP_SECONDS MEASURE_SECONDS [ARGS...]
 * </pre>
 * Prints {@code RESULT\tworkload=..\tops=..\tseconds=..\topsPerSec=..\tchecksum=..\tinstrumented=..\tprofiledCodeKb=..\tcodeKb=..},
 * where {@code instrumented} is the agent's count of classes with kill points (its MXBean), or -1 without the agent, and
 * the last two are the peak sizes of the JIT's code: the profiled code heap (C1's code that still counts, which the JIT
 * replaces by C2's), or -1 if the code cache is not segmented, and all of it.
 */
public final class Workload {
    /** One operation of a workload, returning a checksum of its output. */
    interface Op {
        long run() throws Exception;
    }

    private Workload() {
    }

    public static void main(String[] args) throws Exception {
        // The agent registers its MXBean once the platform MBean server exists; both variants create it alike.
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ProbeArgs read = new ProbeArgs("workload",
                "Workload kotlinc|jackson|commons-math WARM-UP_SECONDS SECONDS [kotlinc: SOURCES_JAR FOLDER]", args);
        String name = read.oneOf(0, "the workload", List.of("kotlinc", "jackson", "commons-math"));
        read.noMoreThan(name.equals("kotlinc") ? 5 : 3);
        long warmupNanos = TimeUnit.SECONDS.toNanos(read.count(1, "the number of seconds of warm-up"));
        long measureNanos = TimeUnit.SECONDS.toNanos(read.count(2, "the number of seconds to measure"));
        Op op;
        switch (name) {
            case "kotlinc":
                op = new KotlinCompile(Path.of(read.required(3, "the jar of Kotlin sources to compile")),
                        Path.of(read.required(4, "the folder of jars the sources compile against")));
                break;
            case "jackson":
                op = new JacksonRoundTrip();
                break;
            case "commons-math":
                op = new MathWorkload();
                break;
            default:
                throw new AssertionError(name); // read.oneOf allows only the three above
        }

        long start = System.nanoTime(); // the warm-up includes the first operation, the slowest by far
        long expected = op.run(); // it fixes the checksum that all others must give
        int warmups = 1;
        while (System.nanoTime() - start < warmupNanos) {
            check(name, expected, op.run());
            warmups++;
        }
        int ops = 0;
        long begin = System.nanoTime();
        long elapsed;
        do { // whole operations only: the phase ends with the first one that ends after its time is up
            check(name, expected, op.run());
            ops++;
            elapsed = System.nanoTime() - begin;
        } while (elapsed < measureNanos);

        System.out.println(String.format(Locale.ROOT, "RESULT\tworkload=%s\twarmups=%d\tops=%d\tseconds=%.3f\topsPerSec=%.4f"
                        + "\tchecksum=%016x\tinstrumented=%d\tprofiledCodeKb=%d\tcodeKb=%d", name, warmups, ops, elapsed / 1e9,
                ops / (elapsed / 1e9), expected, instrumentedClasses(server), codePeakKb(true), codePeakKb(false)));
    }

    /**
     * Peak size of the JIT's code in KiB: of the profiled code heap only (-1 if there is none), or of every code heap.
     * Kill points cost compiled code nothing once C2 has compiled it, but C1's profiled code counts their calls, and
     * when that heap fills, the JIT throws compiled code away and compiles it again.
     */
    private static long codePeakKb(boolean profiledOnly) {
        long sum = 0;
        boolean found = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String n = pool.getName();
            boolean code = n.startsWith("CodeHeap") || n.equals("Code Cache");
            if (code && (!profiledOnly || n.equals("CodeHeap 'profiled nmethods'"))) {
                sum += pool.getPeakUsage().getUsed();
                found = true;
            }
        }
        return found ? sum / 1024 : -1;
    }

    private static void check(String name, long expected, long actual) {
        if (actual != expected) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s: an operation gave checksum %016x, the first gave %016x",
                    name, actual, expected));
        }
    }

    /** The agent's count of instrumented classes, waiting up to 3 s for its MXBean; -1 without the agent. */
    private static long instrumentedClasses(MBeanServer server) throws Exception {
        ObjectName name = new ObjectName("dev.killswitch:type=Killswitch");
        boolean agent = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("killswitch"));
        for (int i = 0; agent && i < 30 && !server.isRegistered(name); i++) {
            Thread.sleep(100);
        }
        if (!server.isRegistered(name)) {
            if (agent) {
                throw new IllegalStateException("the agent is on the command line but its MXBean never appeared");
            }
            return -1;
        }
        return ((Number) server.getAttribute(name, "InstrumentedClasses")).longValue();
    }
}
