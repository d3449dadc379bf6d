package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives the blocking-call fixtures ({@code com.acme.blocking.Cases}). Commands on standard input:
 * {@code CONTROL} runs every call once, arranged to return, time out or throw, and reports the result;
 * {@code BLOCK case threads} starts a victim blocked in that call; {@code STATE?} reports whether it is
 * blocked; {@code KILL} kills it and reports what happened; {@code EXIT}.
 */
public final class BlockingDriver {
    private Object victimCase;
    private Thread victim;
    private final AtomicReference<Throwable> died = new AtomicReference<>();
    private int cleanupsBefore;

    private BlockingDriver() {
    }

    public static void main(String[] args) throws Exception {
        BlockingDriver driver = new BlockingDriver();
        Report.line("READY", Map.of("active", Killswitch.isActive()));
        new CommandLoop(3)
                .on("CONTROL", cmd -> driver.control())
                .on("BLOCK", cmd -> driver.block(cmd[1].replace('_', ' '), cmd[2]))
                .on("STATE?", cmd -> driver.state())
                .on("KILL", cmd -> driver.kill())
                .on("MEASURE", cmd -> driver.measure(Integer.parseInt(cmd[1]), cmd[2]))
                .on("MONITOR", cmd -> driver.monitor(cmd[1]))
                .on("MONITOR_KILL", cmd -> driver.monitorKill())
                .on("MONITOR_DESCRIBE", cmd -> driver.monitorDescribe())
                .on("MONITOR_RELEASE", cmd -> driver.monitorRelease())
                .run();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Callable<Object>> cases() throws ReflectiveOperationException {
        return (Map<String, Callable<Object>>) Class.forName("com.acme.blocking.Cases").getMethod("all").invoke(null);
    }

    private static Object call(Object target, String method) throws Exception {
        java.lang.reflect.Method m = Class.forName("com.acme.blocking.BlockingCase").getMethod(method);
        try {
            return m.invoke(target);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw (Error) e.getCause();
        }
    }

    /** Each call, arranged to complete, on a fresh platform thread; the results must not depend on the agent. */
    private void control() throws Exception {
        for (Map.Entry<String, Callable<Object>> e : cases().entrySet()) {
            Object c = e.getValue().call();
            AtomicReference<String> result = new AtomicReference<>("did not return");
            AtomicReference<Boolean> interrupted = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    call(c, "setUp");
                    call(c, "arrangeControl");
                    result.set(String.valueOf(call(c, "once")));
                } catch (Throwable x) {
                    result.set(x.getClass().getSimpleName());
                } finally {
                    interrupted.set(Thread.interrupted());
                }
            }, "control");
            t.start();
            t.join(10_000);
            call(c, "tearDown");
            Report.line("CONTROL", Map.of("case", e.getKey(), "result", result.get(), "interruptedAfter", interrupted.get()));
        }
    }

    private void block(String name, String threads) throws Exception {
        victimCase = cases().get(name).call();
        call(victimCase, "setUp");
        cleanupsBefore = cleanups();
        died.set(null);
        victim = Threads.create(threads, "victim " + name, () -> {
            try {
                call(victimCase, "block");
            } catch (Throwable t) {
                died.set(t);
            }
        });
        victim.start();
        Report.line("BLOCKING", Map.of("case", name));
    }

    /** Blocked: waiting, timed-waiting or BLOCKED, or in a native method (socket reads, accept, select). */
    private void state() {
        StackTraceElement[] stack = victim.getStackTrace();
        Report.line("STATE", Map.of("state", victim.getState(), "blocked", isBlocked(), "top", stack.length == 0 ? "none" : stack[0]));
    }

    private void kill() throws Exception {
        Thread.State before = victim.getState();
        KillHandle handle = Killswitch.kill(victim, "blocking test");
        boolean delivered = handle.awaitDelivery(Fixtures.PROMPTLY);
        victim.join(Fixtures.PROMPTLY.toMillis());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("stateBefore", before);
        fields.put("delivered", delivered);
        fields.put("latencyMs", handle.deliveryLatency().map(d -> d.toNanos() / 1e6).orElse(-1.0));
        fields.put("victimAlive", victim.isAlive());
        fields.put("died", Report.nameOf(died.get()));
        fields.put("deliveredAt", handle.deliveredAt().map(Object::toString).orElse("none"));
        fields.put("cleanupRan", cleanups() == cleanupsBefore + 1);
        fields.put("released", call(victimCase, "released"));
        fields.put("describe", handle.describe());
        call(victimCase, "tearDown");
        Report.line("KILLED", fields);
    }

    /**
     * Kill latency of each blocking call, median of {@code runs}: block, wait until blocked, kill. For
     * the figures in the README; the tests assert behaviour, not timing.
     */
    private void measure(int runs, String threads) throws Exception {
        for (String name : cases().keySet()) {
            double[] latencies = new double[runs];
            for (int i = 0; i < runs; i++) {
                block(name, threads);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!isBlocked() && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // settle into the wait
                KillHandle handle = Killswitch.kill(victim, "measure");
                handle.awaitDelivery(Duration.ofSeconds(5));
                victim.join(5000);
                latencies[i] = handle.deliveryLatency().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
                call(victimCase, "tearDown");
            }
            java.util.Arrays.sort(latencies);
            Report.line("MEASURED", Map.of("case", name, "threads", threads, "medianMs", String.format(java.util.Locale.ROOT, "%.2f", latencies[runs / 2]),
                    "maxMs", String.format(java.util.Locale.ROOT, "%.2f", latencies[runs - 1])));
        }
    }

    private boolean isBlocked() {
        Thread.State state = victim.getState();
        StackTraceElement[] stack = victim.getStackTrace();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED
                || (state == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod());
    }

    private KillHandle monitorKill;

    /** A platform thread holds com.acme.blocking.MonitorCase.MONITOR; a victim of the given kind blocks entering it. */
    private void monitor(String threads) throws Exception {
        Class<?> c = Class.forName("com.acme.blocking.MonitorCase");
        Thread holder = new Thread(() -> Fixtures.run(c, "hold"), "monitor-holder");
        holder.setDaemon(true);
        holder.start();
        while (!c.getField("holding").getBoolean(null)) {
            Thread.onSpinWait();
        }
        cleanupsBefore = c.getField("cleanups").getInt(null);
        died.set(null);
        victim = Threads.create(threads, "monitor victim", () -> {
            try {
                Fixtures.run(c, "enter");
            } catch (Throwable t) {
                died.set(t);
            }
        });
        victim.start();
        Report.line("BLOCKING", Map.of("case", "synchronized"));
    }

    /** Kills the BLOCKED victim: the kill cannot land yet. */
    private void monitorKill() throws Exception {
        monitorKill = Killswitch.kill(victim, "blocked on a monitor");
        boolean delivered = monitorKill.awaitDelivery(Duration.ofMillis(300));
        Report.line("MONITOR_KILLED", Map.of("delivered", delivered, "alive", victim.isAlive(),
                "pending", Killswitch.isKillPending(victim)));
    }

    /** What the pending kill's handle says: once the deliverer has looked at the thread, who holds the monitor. */
    private void monitorDescribe() {
        Report.line("MONITOR_DESCRIBED", Map.of("pending", Killswitch.isKillPending(victim), "describe", monitorKill.describe()));
    }

    /** Lets the holder go: the victim enters the monitor and dies at its next kill point. */
    private void monitorRelease() throws Exception {
        Class<?> c = Class.forName("com.acme.blocking.MonitorCase");
        c.getField("release").setBoolean(null, true);
        boolean delivered = monitorKill.awaitDelivery(Fixtures.PROMPTLY);
        victim.join(Fixtures.PROMPTLY.toMillis());
        Report.line("MONITOR_RELEASED", Map.of("delivered", delivered, "alive", victim.isAlive(),
                "died", Report.nameOf(died.get()), "cleanupRan", c.getField("cleanups").getInt(null) == cleanupsBefore + 1));
    }

    private static int cleanups() throws ReflectiveOperationException {
        Field f = Class.forName("com.acme.blocking.BlockingCase").getField("cleanups");
        return f.getInt(null);
    }
}
