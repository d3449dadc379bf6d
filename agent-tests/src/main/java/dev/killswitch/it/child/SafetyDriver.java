package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.KillOption;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Kills that must do no harm, in a child JVM with {@code include=com.acme.**}: the scenarios of
 * {@code com.acme.safety.Cleanups} (selected), which call the unselected {@code org.example.lib.Slow}.
 *
 * <p>Commands on standard input, each answered by one report line:
 * {@code CLEANUP scenario threads} (a kill during a library call that then fails),
 * {@code LEAVE acquire|offer threads} (a kill pending as a loop is left through its conditional back-edge),
 * {@code COALESCE threads} (kills from several threads, and during the first one's finally),
 * {@code IDLE threads} (a thread in unselected code is left alone, a later task is not hit),
 * {@code WAIT threads} (a kill asked to wait for selected code), {@code CANCEL} (a pending kill cancelled),
 * {@code SYSTEM} (the agent's and the JVM's threads), {@code OVERFLOW plain|locked threads}
 * (recursion that catches StackOverflowError), {@code EXIT}.
 */
public final class SafetyDriver {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Duration ESCALATED_AT_LIMIT = Duration.ofSeconds(90);

    private final Class<?> cleanups;
    private final Class<?> slow;

    private SafetyDriver() throws ClassNotFoundException {
        cleanups = Class.forName("com.acme.safety.Cleanups");
        slow = Class.forName("org.example.lib.Slow");
    }

    public static void main(String[] args) throws Exception {
        SafetyDriver driver = new SafetyDriver();
        Report.line("READY", Map.of("java", Runtime.version().feature(), "active", Killswitch.isActive()));
        new CommandLoop()
                .beforeEach(cmd -> driver.cleanups.getMethod("reset").invoke(null))
                .on("CLEANUP", cmd -> driver.cleanup(cmd[1], cmd[2]))
                .on("LEAVE", cmd -> driver.leave(cmd[1], cmd[2]))
                .on("COALESCE", cmd -> driver.coalesce(cmd[1]))
                .on("IDLE", cmd -> driver.idle(cmd[1]))
                .on("WAIT", cmd -> driver.waitForSelected(cmd[1]))
                .on("CANCEL", cmd -> driver.cancel())
                .on("SYSTEM", cmd -> driver.system())
                .on("OVERFLOW", cmd -> driver.overflow(cmd[1], cmd[2]))
                .run();
    }

    /** A thread running one fixture method; what it died of. */
    private static final class Victim {
        final Thread thread;
        final AtomicReference<Throwable> died = new AtomicReference<>();

        Victim(String kind, String name, Method method, Object... args) {
            thread = Threads.create(kind, name, () -> {
                try {
                    method.invoke(null, args);
                } catch (InvocationTargetException e) {
                    died.set(e.getCause());
                } catch (Throwable t) {
                    died.set(t);
                }
            });
            thread.start();
        }

        boolean end() throws InterruptedException {
            return end(DEADLINE);
        }

        boolean end(Duration bound) throws InterruptedException {
            thread.join(bound.toMillis());
            return !thread.isAlive();
        }
    }

    private long number(String field) throws ReflectiveOperationException {
        return ((Number) cleanups.getField(field).get(null)).longValue();
    }

    private void awaitAtLeast(String field, long value) throws Exception {
        long until = System.nanoTime() + DEADLINE.toNanos();
        while (number(field) < value && System.nanoTime() < until) {
            Thread.sleep(1);
        }
    }

    /** Waits (bounded) until {@code done} holds; the scenarios are bounded by DEADLINE and report what they saw either way. */
    private static void awaitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(1);
        }
    }

    /** Waits until {@code t} runs {@code method} (its name is on its stack). */
    private static void awaitInStack(Thread t, String method) throws InterruptedException {
        awaitUntil(() -> java.util.Arrays.stream(t.getStackTrace()).anyMatch(e -> e.getMethodName().equals(method)));
    }

    private ReentrantLock lock() throws ReflectiveOperationException {
        return (ReentrantLock) cleanups.getField("LOCK").get(null);
    }

    /** A kill while the library call runs; the call then throws: the cleanup must run to its end. */
    private void cleanup(String scenario, String kind) throws Exception {
        Victim v = new Victim(kind, scenario, cleanups.getMethod(scenario, long.class), 400L);
        awaitAtLeast("progress", 1);
        KillHandle h = Killswitch.kill(v.thread, "kill during " + scenario);
        boolean delivered = h.awaitDelivery(DEADLINE);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ended", v.end());
        f.put("delivered", delivered);
        f.put("died", Report.nameOf(v.died.get()));
        f.put("suppressed", v.died.get() == null || v.died.get().getSuppressed().length == 0 ? "none"
                : v.died.get().getSuppressed()[0].getClass().getName());
        for (String counter : new String[] {"finallies", "rollbacks", "releases", "closes"}) {
            f.put(counter, number(counter));
        }
        f.put("lockHeld", lock().isLocked());
        f.put("describe", h.describe());
        Report.line("CLEANED", f);
    }

    /** A kill pending when a loop is left through the path where its conditional back-edge is not taken. */
    private void leave(String shape, String kind) throws Exception {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Victim v = shape.equals("acquire") ? new Victim(kind, "acquirer", cleanups.getMethod("acquireInLoopThenWork"))
                : new Victim(kind, "offerer", cleanups.getMethod("offerInLoop", java.util.concurrent.BlockingQueue.class), queue);
        awaitInStack(v.thread, "awaitKillPending"); // in the library call, which waits for the kill
        KillHandle h = Killswitch.kill(v.thread, "kill while leaving a loop");
        boolean delivered = h.awaitDelivery(DEADLINE);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ended", v.end());
        f.put("delivered", delivered);
        f.put("died", Report.nameOf(v.died.get()));
        f.put("lockHeld", lock().isLocked());
        f.put("queued", queue.size());
        f.put("offered", number("offered"));
        // Where it landed, not how far the work got: a kill may land at the entry of the work, before any of it is done.
        f.put("landedInWork", h.deliveredAt().map(frame -> frame.getMethodName().startsWith("work")).orElse(false));
        f.put("describe", h.describe());
        Report.line("LEFT", f);
    }

    /** Four threads ask for the same kill at once, and more kills come while the first one's finally runs. */
    private void coalesce(String kind) throws Exception {
        Victim v = new Victim(kind, "unwinder", cleanups.getMethod("longFinally", int.class), 200);
        awaitAtLeast("progress", 1);
        CountDownLatch go = new CountDownLatch(1);
        List<KillHandle> handles = new ArrayList<>();
        List<Thread> askers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            Thread asker = new Thread(() -> {
                try {
                    go.await();
                    KillHandle h = Killswitch.kill(v.thread, "asker " + n);
                    synchronized (handles) {
                        handles.add(h);
                    }
                } catch (InterruptedException ignored) {
                    // the driver ends
                }
            }, "asker-" + i);
            asker.start();
            askers.add(asker);
        }
        go.countDown();
        for (Thread asker : askers) {
            asker.join();
        }
        awaitAtLeast("finallySteps", 1);
        for (int i = 0; i < 20 && v.thread.isAlive(); i++) {
            handles.add(Killswitch.kill(v.thread, "during cleanup " + i));
            Thread.sleep(2);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ended", v.end());
        f.put("died", Report.nameOf(v.died.get()));
        f.put("finallySteps", number("finallySteps"));
        long until = System.nanoTime() + DEADLINE.toNanos();
        while (handles.stream().anyMatch(h -> h.status() == KillStatus.PENDING) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Map<KillStatus, Integer> statuses = new LinkedHashMap<>();
        for (KillHandle h : handles) {
            statuses.merge(h.status(), 1, Integer::sum);
        }
        f.put("delivered", statuses.getOrDefault(KillStatus.DELIVERED, 0));
        f.put("coalesced", statuses.getOrDefault(KillStatus.ALREADY_BEING_KILLED, 0));
        f.put("statuses", statuses);
        f.put("requests", handles.size());
        Report.line("COALESCED", f);
    }

    /**
     * A thread waiting in unselected code is killed: it is left alone (not woken, not interrupted), and the
     * selected task it runs afterwards is not hit.
     */
    private void idle(String kind) throws Exception {
        LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        AtomicInteger interrupts = new AtomicInteger();
        AtomicReference<Throwable> taskDied = new AtomicReference<>();
        AtomicInteger tasksRun = new AtomicInteger();
        Method nap = slow.getMethod("napSwallowingInterrupts", long.class);
        Thread worker = Threads.create(kind, "idle-pool-worker", () -> {
            // Naps until a task comes (the one submitted once the kill has ended), as a pool's idle thread waits for work.
            long giveUp = System.nanoTime() + DEADLINE.toNanos();
            while (tasksRun.get() == 0 && taskDied.get() == null && System.nanoTime() < giveUp) {
                try {
                    interrupts.addAndGet((Integer) nap.invoke(null, 400L)); // idle, in unselected code
                    Runnable task = tasks.poll();
                    if (task != null) {
                        task.run();
                        tasksRun.incrementAndGet();
                    }
                } catch (Throwable t) {
                    taskDied.set(t);
                }
            }
        });
        worker.start();
        awaitInStack(worker, "napSwallowingInterrupts");
        KillHandle h = Killswitch.kill(worker, "aimed at an idle thread");
        awaitUntil(() -> h.status() != KillStatus.PENDING);
        Method work = cleanups.getMethod("briefTask");
        tasks.add(() -> {
            try {
                work.invoke(null); // a selected task submitted after the kill: it must run normally
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
        worker.join(DEADLINE.toMillis());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("status", h.status());
        f.put("describe", h.describe());
        f.put("interrupts", interrupts.get());
        f.put("tasksRun", tasksRun.get());
        f.put("taskDied", Report.nameOf(taskDied.get()));
        f.put("pending", Killswitch.isKillPending(worker));
        Report.line("IDLE", f);
    }

    /** A kill asked to wait for selected code: pending while the thread idles, not waking it, then landing. */
    private void waitForSelected(String kind) throws Exception {
        AtomicInteger interrupts = new AtomicInteger();
        Method nap = slow.getMethod("napSwallowingInterrupts", long.class);
        Method spin = cleanups.getMethod("longFinally", int.class);
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread worker = Threads.create(kind, "later-task-worker", () -> {
            try {
                interrupts.addAndGet((Integer) nap.invoke(null, 400L));
                spin.invoke(null, 0); // selected: spins until killed
            } catch (InvocationTargetException e) {
                died.set(e.getCause());
            } catch (Throwable t) {
                died.set(t);
            }
        });
        worker.start();
        awaitInStack(worker, "napSwallowingInterrupts");
        KillHandle h = Killswitch.kill(worker, "next task", KillOption.WAIT_FOR_SELECTED_CODE);
        awaitUntil(() -> h.describe().contains("waits until it runs some") || h.status() != KillStatus.PENDING);
        KillStatus whileIdle = h.status();
        boolean delivered = h.awaitDelivery(DEADLINE);
        worker.join(DEADLINE.toMillis());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("whileIdle", whileIdle);
        f.put("delivered", delivered);
        f.put("interrupts", interrupts.get());
        f.put("died", Report.nameOf(died.get()));
        f.put("at", h.deliveredAt().map(e -> e.getClassName() + "." + e.getMethodName()).orElse("none"));
        Report.line("WAITED", f);
    }

    /** A kill that cannot land (the thread is BLOCKED on a monitor) is cancelled: the thread then runs on unharmed. */
    private void cancel() throws Exception {
        Object monitor = cleanups.getField("MONITOR").get(null);
        Method locked = cleanups.getMethod("enterMonitor");
        AtomicReference<Throwable> died = new AtomicReference<>();
        AtomicInteger finished = new AtomicInteger();
        Thread t;
        synchronized (monitor) {
            t = Threads.create("platform", "blocked-then-cancelled", () -> {
                try {
                    locked.invoke(null); // blocks on the monitor, then enters it and returns
                    finished.incrementAndGet();
                } catch (InvocationTargetException e) {
                    died.set(e.getCause());
                } catch (Throwable e) {
                    died.set(e);
                }
            });
            t.start();
            while (t.getState() != Thread.State.BLOCKED) {
                Thread.sleep(1);
            }
            KillHandle h = Killswitch.kill(t, "to be cancelled");
            awaitUntil(() -> h.describe().contains("BLOCKED"));
            KillStatus before = h.status();
            boolean cancelled = h.cancel();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("before", before);
            f.put("cancelled", cancelled);
            f.put("after", h.status());
            f.put("pending", Killswitch.isKillPending(t));
            f.put("again", h.cancel());
            f.put("describe", h.describe());
            synchronized (SafetyDriver.class) {
                FIELDS.set(f);
            }
        }
        t.join(DEADLINE.toMillis());
        Map<String, Object> f = FIELDS.get();
        f.put("died", Report.nameOf(died.get()));
        f.put("finished", finished.get());
        Report.line("CANCELLED", f);
    }

    private static final AtomicReference<Map<String, Object>> FIELDS = new AtomicReference<>();

    /** Kills of the agent's own threads and of JVM system threads are refused through the API too. */
    private void system() {
        Map<String, Object> f = new LinkedHashMap<>();
        KillHandle probe = Killswitch.kill(Thread.currentThread(), "probe that starts the deliverer", KillOption.WAIT_FOR_SELECTED_CODE);
        probe.cancel();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.equals("killswitch-deliverer") || name.equals("Reference Handler") || name.equals("Finalizer")
                    || name.equals("Signal Dispatcher")) {
                KillHandle h = Killswitch.kill(t, "should be refused");
                f.put(name.replace(' ', '-'), h.status());
                f.put(name.replace(' ', '-') + ".pending", Killswitch.isKillPending(t));
            }
        }
        Report.line("SYSTEM", f);
    }

    /**
     * Recursion that catches StackOverflowError and goes on, calling itself from its catch blocks: a kill waits
     * for those blocks (they are cleanup code) and is never reported delivered unless it was thrown; escalated,
     * it lands, once, although the stack is at its limit.
     */
    private void overflow(String variant, String kind) throws Exception {
        String method = variant.equals("locked") ? "recurseCatchingOverflowLocked" : "recurseCatchingOverflow";
        Victim v = new Victim(kind, "overflow-" + variant, cleanups.getMethod(method, int.class), 0);
        awaitAtLeast("deepest", 500);
        long deepest;
        do { // until the stack limit is reached: the catch blocks take over
            deepest = number("deepest");
            Thread.sleep(20);
        } while (number("deepest") != deepest);
        KillHandle h = Killswitch.kill(v.thread, "kill near the stack limit");
        awaitUntil(() -> h.status() != KillStatus.PENDING || h.describe().contains("cleanup code"));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("plainStatus", h.status());
        f.put("plainAlive", v.thread.isAlive());
        f.put("plainDescribe", h.describe());
        KillHandle escalated = Killswitch.kill(v.thread, "escalated near the stack limit", KillOption.ESCALATE);
        // It lands only at a kill point with room for the landing, which this recursion, pinned to its stack limit,
        // reaches as it happens to unwind far enough: 9 to 20 s on JDK 17 on 2 cores. The bound is for liveness only.
        boolean ended = v.end(ESCALATED_AT_LIMIT);
        f.put("ended", ended);
        f.put("escalated", escalated.status());
        f.put("status", h.status());
        f.put("died", Report.nameOf(v.died.get()));
        f.put("message", v.died.get() == null ? "none" : String.valueOf(v.died.get().getMessage()));
        Object monitor = cleanups.getField("MONITOR").get(null);
        Thread probe = new Thread(() -> {
            synchronized (monitor) {
                monitor.hashCode();
            }
        });
        probe.start();
        probe.join(DEADLINE.toMillis());
        f.put("monitorFree", !probe.isAlive());
        f.put("describe", h.describe());
        Report.line("OVERFLOWED", f);
    }
}
