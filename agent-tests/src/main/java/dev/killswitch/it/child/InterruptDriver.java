package dev.killswitch.it.child;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cancels tasks of {@code com.acme.retrofit.Tasks} the way executors do, for interrupt-kills. Commands:
 * {@code START executor task} (executor: {@code pool} = a one-thread pool fed with submit(),
 * {@code execute} = the same fed with execute(), {@code virtual} = a virtual thread per task; task:
 * {@code spin}, {@code swallow}, {@code cooperative}), then {@code CANCEL} (Future.cancel(true)),
 * {@code SHUTDOWN_NOW}, or {@code INTERRUPT} (the worker thread, directly); {@code STATE?}; {@code NEXT}
 * (a next task on the same executor: which thread runs it); {@code EXIT}.
 */
public final class InterruptDriver {
    private static final String TASKS = "com.acme.retrofit.Tasks";

    private final AtomicReference<Thread> worker = new AtomicReference<>();
    private final AtomicReference<Throwable> workerDied = new AtomicReference<>();
    private final AtomicReference<Object> taskResult = new AtomicReference<>();
    private ExecutorService executor;
    private Future<?> future;
    private int finalliesBefore;

    private InterruptDriver() {
    }

    public static void main(String[] args) throws Exception {
        InterruptDriver driver = new InterruptDriver();
        Report.line("READY");
        new CommandLoop()
                .on("START", cmd -> driver.start(cmd[1], cmd[2]))
                .on("CANCEL", cmd -> Report.line("CANCELLED", Map.of("cancelled", driver.future.cancel(true))))
                .on("SHUTDOWN_NOW", cmd -> Report.line("SHUT DOWN", Map.of("neverRan", driver.executor.shutdownNow().size())))
                .on("INTERRUPT", cmd -> {
                    driver.worker.get().interrupt();
                    Report.line("INTERRUPTED");
                })
                .on("STATE?", cmd -> driver.state())
                .on("NEXT", cmd -> driver.next(Long.parseLong(cmd[1])))
                .on("MEASURE", cmd -> driver.measure(Integer.parseInt(cmd[1]), cmd[2], cmd.length > 3 ? Long.parseLong(cmd[3]) : 0))
                .run();
    }

    private void start(String kind, String task) throws Exception {
        submit(kind, task);
        Report.line("STARTED", Map.of("executor", kind, "task", task));
    }

    private void submit(String kind, String task) throws Exception {
        Class<?> tasks = Class.forName(TASKS);
        finalliesBefore = tasks.getField("finallies").getInt(null);
        worker.set(null);
        workerDied.set(null);
        taskResult.set(null);
        future = null;
        Method body = tasks.getMethod(task.equals("spin") ? "spin" : "swallowInterrupts");
        Runnable runnable = () -> {
            worker.set(Thread.currentThread());
            try {
                taskResult.set(body.invoke(null));
            } catch (java.lang.reflect.InvocationTargetException e) {
                taskResult.set(e.getCause().getClass().getName());
                if (e.getCause() instanceof Error) {
                    throw (Error) e.getCause(); // as if the task had thrown it itself
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        };
        switch (kind) {
            case "pool":
            case "execute":
                executor = Executors.newFixedThreadPool(1, r -> {
                    Thread t = new Thread(r, "pool-worker-" + System.nanoTime());
                    t.setDaemon(true);
                    t.setUncaughtExceptionHandler((thread, e) -> workerDied.set(e));
                    return t;
                });
                break;
            case "virtual":
                executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
                break;
            default:
                throw new IllegalArgumentException(kind);
        }
        if (kind.equals("execute")) {
            executor.execute(runnable);
        } else {
            future = executor.submit(runnable);
        }
    }

    private void state() throws Exception {
        Class<?> tasks = Class.forName(TASKS);
        Thread w = worker.get();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("progress", tasks.getField("progress").getLong(null));
        fields.put("finallyRan", tasks.getField("finallies").getInt(null) > finalliesBefore);
        fields.put("workerAlive", w != null && w.isAlive());
        fields.put("workerState", w == null ? "none" : w.getState());
        StackTraceElement[] stack = w == null ? new StackTraceElement[0] : w.getStackTrace(); // once: it may end meanwhile
        fields.put("workerTop", stack.length == 0 ? "none" : stack[0]);
        fields.put("taskResult", String.valueOf(taskResult.get()));
        fields.put("workerDied", Report.nameOf(workerDied.get()));
        fields.put("futureDone", future != null && future.isDone());
        fields.put("terminated", executor.isTerminated());
        Report.line("STATE", fields);
    }

    private void next(long millis) throws Exception {
        Method whoAmI = Class.forName(TASKS).getMethod("whoAmI");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Future<?> f = executor.submit(() -> {
            ranOn.set(Thread.currentThread());
            return whoAmI.invoke(null);
        });
        try {
            Object name = f.get(millis, TimeUnit.MILLISECONDS);
            Report.line("NEXT", Map.of("ran", true, "thread", name, "sameWorker", ranOn.get() == worker.get()));
        } catch (java.util.concurrent.TimeoutException e) {
            Report.line("NEXT", Map.of("ran", false));
        }
    }

    /**
     * Median and maximum time from Future.cancel(true) ({@code how} = cancel) or Killswitch.kill (kill) to
     * the end of the task's finally, over fresh pools.
     */
    private void measure(int runs, String how, long pauseMillis) throws Exception {
        Class<?> tasks = Class.forName(TASKS);
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            submit("pool", "spin");
            long before = tasks.getField("progress").getLong(null);
            while (tasks.getField("progress").getLong(null) == before) {
                Thread.onSpinWait();
            }
            int finallies = tasks.getField("finallies").getInt(null);
            long t0 = System.nanoTime();
            if (how.equals("cancel")) {
                future.cancel(true);
            } else {
                dev.killswitch.Killswitch.kill(worker.get(), "measure");
            }
            while (tasks.getField("finallies").getInt(null) == finallies) {
                Thread.onSpinWait();
            }
            millis[i] = (System.nanoTime() - t0) / 1e6;
            executor.shutdownNow();
            Thread.sleep(pauseMillis); // a pause longer than a switch lingers measures kills of a cold method
        }
        double first = millis[0];
        java.util.Arrays.sort(millis);
        Report.line("MEASURED", Map.of("how", how, "runs", runs, "firstMs", String.format(java.util.Locale.ROOT, "%.2f", first),
                "medianMs", String.format(java.util.Locale.ROOT, "%.2f", millis[runs / 2]),
                "maxMs", String.format(java.util.Locale.ROOT, "%.2f", millis[runs - 1])));
    }
}
