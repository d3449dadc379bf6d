package com.acme.workloads;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
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
 * Prints {@code RESULT\tworkload=..\tops=..\tseconds=..\topsPerSec=..\tchecksum=..\tinstrumented=..}, where
 * {@code instrumented} is the agent's count of classes with kill points (its MXBean), or -1 without the agent.
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
        String name = args[0];
        long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        long measureNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        String[] rest = Arrays.copyOfRange(args, 3, args.length);
        Op op;
        switch (name) {
            case "kotlinc":
                op = KotlinCompile.create(rest);
                break;
            case "jackson":
                op = new JacksonRoundTrip();
                break;
            case "commons-math":
                op = new MathWorkload();
                break;
            default:
                throw new IllegalArgumentException("unknown workload " + name);
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
                        + "\tchecksum=%016x\tinstrumented=%d", name, warmups, ops, elapsed / 1e9, ops / (elapsed / 1e9), expected,
                instrumentedClasses(server)));
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
