package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.KillOption;
import dev.killswitch.Killswitch;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the swallowing scenarios of {@code com.acme.swallow.Swallowers} (on the class path) and kills them.
 *
 * <p>Commands on standard input: {@code KILL scenario threads mode [seconds]} (one kill, then a wait of that
 * long, 5 s by default, for the thread's end; for {@code stubbornFinally}, a second kill once the finally block
 * runs), {@code POOL executor|supplyAsync}, {@code EXIT}.
 */
public final class SwallowDriver {
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final Class<?> swallowers;

    private SwallowDriver() throws ClassNotFoundException {
        swallowers = Class.forName("com.acme.swallow.Swallowers");
    }

    public static void main(String[] args) throws Exception {
        SwallowDriver driver = new SwallowDriver();
        Report.line("READY", Map.of("java", Runtime.version().feature(), "active", Killswitch.isActive()));
        new CommandLoop()
                .on("KILL", cmd -> driver.kill(cmd[1], cmd[2], Integer.parseInt(cmd[3]),
                        cmd.length > 4 ? Duration.ofSeconds(Long.parseLong(cmd[4])) : DEADLINE))
                .on("POOL", cmd -> driver.pool(cmd[1]))
                .run();
    }

    private void kill(String scenario, String threads, int mode, Duration endDeadline) throws Exception {
        events().clear();
        swallowers.getField("mode").setInt(null, mode);
        Method method = swallowers.getMethod(scenario);
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread victim = Threads.create(threads, scenario, () -> {
            try {
                method.invoke(null);
            } catch (InvocationTargetException e) {
                died.set(e.getCause());
            } catch (Throwable t) {
                died.set(t);
            }
        });
        victim.start();
        awaitProgress();
        KillHandle first = Killswitch.kill(victim, "first kill of " + scenario);
        Map<String, Object> fields = new LinkedHashMap<>();
        if (scenario.equals("stubbornFinally")) {
            first.awaitDelivery(DEADLINE);
            awaitEvent("finally started");
            awaitProgress();
            fields.put("aliveAfterFirst", victim.isAlive());
            KillHandle second = Killswitch.kill(victim, "second kill of " + scenario);
            fields.put("secondStatus", second.status());
            fields.put("secondLandsInCleanup", second.awaitDelivery(Duration.ofMillis(300)));
            KillHandle escalated = Killswitch.kill(victim, "escalation of " + scenario, KillOption.ESCALATE);
            fields.put("escalatedStatus", escalated.status());
            second.awaitThreadEnd(DEADLINE);
        } else {
            first.awaitThreadEnd(endDeadline);
        }
        Throwable error = died.get();
        fields.put("delivered", first.isDelivered());
        fields.put("alive", victim.isAlive());
        fields.put("died", Report.nameOf(error));
        fields.put("message", error == null ? "none" : error.getMessage());
        fields.put("suppressed", error == null ? "none" : suppressed(error));
        fields.put("events", String.join("|", events()));
        Report.line("KILLED", fields);
    }

    /**
     * A pooled thread runs a swallowing task, which is killed; the pool catches the error, and the same
     * thread then runs ordinary selected code (whose own catch blocks must not raise the old kill) normally.
     */
    private void pool(String kind) throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        Method swallowInLoop = swallowers.getMethod("swallowInLoop");
        Method ordinary = swallowers.getMethod("ordinary", int.class);
        AtomicReference<Thread> worker = new AtomicReference<>();
        boolean executor = kind.equals("executor");
        Future<?> f;
        if (executor) {
            f = pool.submit(() -> {
                worker.set(Thread.currentThread());
                invoke(swallowInLoop);
                return null;
            });
        } else {
            f = CompletableFuture.supplyAsync(() -> {
                worker.set(Thread.currentThread());
                return invoke(swallowInLoop);
            }, pool);
        }
        awaitProgress();
        KillHandle kill = Killswitch.kill(worker.get(), executor ? "pooled task" : "pooled supplier");
        kill.awaitDelivery(DEADLINE);
        String firstOutcome;
        try {
            f.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            firstOutcome = "returned";
        } catch (ExecutionException e) { // both futures give the task's own error as the cause
            firstOutcome = Report.nameOf(e.getCause());
        } catch (TimeoutException e) {
            firstOutcome = stillRunning(worker.get(), kill);
        }
        Thread firstWorker = worker.get();
        Future<Object> next = ((ExecutorService) pool).submit(() -> {
            worker.set(Thread.currentThread());
            return invoke(ordinary, 100);
        });
        Object result;
        try {
            result = next.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result = "none, " + stillRunning(worker.get(), null);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("first", firstOutcome);
        fields.put("sameThread", worker.get() == firstWorker);
        fields.put("next", result);
        fields.put("completedTasks", pool.getCompletedTaskCount());
        pool.shutdown();
        Report.line("POOLED", fields);
    }

    /** A task that did not end in time: where its thread is, what the swallowing code saw, and the kill's status. */
    private String stillRunning(Thread thread, KillHandle kill) throws ReflectiveOperationException {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement e : thread.getStackTrace()) {
            frames.add(e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber());
        }
        return "still running after " + DEADLINE.toSeconds() + " s (kill " + (kill == null ? "none" : kill.status())
                + "; events " + events() + "; at " + String.join(" < ", frames) + ")";
    }

    private static Object invoke(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String suppressed(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable s : t.getSuppressed()) {
            out.add(s.getMessage());
        }
        return String.join("|", out);
    }

    @SuppressWarnings("unchecked")
    private List<String> events() throws ReflectiveOperationException {
        return (List<String>) swallowers.getField("events").get(null);
    }

    private void awaitProgress() throws Exception {
        Field progress = swallowers.getField("progress");
        long start = progress.getLong(null);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (progress.getLong(null) < start + 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no progress");
            }
            Thread.onSpinWait();
        }
    }

    private void awaitEvent(String event) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!events().contains(event)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no event " + event);
            }
            Thread.onSpinWait();
        }
    }
}
