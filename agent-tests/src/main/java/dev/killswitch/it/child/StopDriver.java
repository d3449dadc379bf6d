package dev.killswitch.it.child;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls the old Thread.stop() code of {@code com.acme.stop.StopCaller} (compiled against the Java 8 API)
 * on workers spinning in {@code com.acme.stop.Worker}. Commands: {@code STOP case} with case
 * {@code thread}, {@code subclass}, {@code throwable}, {@code group} or {@code self}; {@code MACHINE} (a
 * class with stop() methods of its own); {@code STATE?}: how each worker ended; {@code EXIT}.
 */
public final class StopDriver {
    private static final String PKG = "com.acme.stop.";

    private final List<Thread> workers = new ArrayList<>();
    private final Map<Thread, Throwable> died = new ConcurrentHashMap<>();

    private StopDriver() {
    }

    public static void main(String[] args) throws Exception {
        StopDriver driver = new StopDriver();
        Report.line("READY", Map.of("java", Runtime.version().feature()));
        new CommandLoop()
                .on("STOP", cmd -> driver.stop(cmd[1]))
                .on("MACHINE", cmd -> driver.machine())
                .on("STATE?", cmd -> driver.state())
                .run();
    }

    private void stop(String kase) throws Exception {
        workers.clear();
        died.clear();
        Class<?> workerClass = Class.forName(PKG + "Worker");
        Class<?> caller = Class.forName(PKG + "StopCaller");
        ThreadGroup group = new ThreadGroup("legacy-group");
        Thread worker = startWorker(workerClass, kase.equals("group") ? group : null, "worker-" + kase);
        if (kase.equals("group")) {
            startWorker(workerClass, new ThreadGroup(group, "legacy-subgroup"), "worker-in-subgroup");
        }
        String threw = "nothing";
        try {
            switch (kase) {
                case "thread":
                    call(caller, "stopThread", new Class<?>[] {Thread.class}, worker);
                    break;
                case "subclass":
                    call(caller, "stopWorker", new Class<?>[] {workerClass}, worker);
                    break;
                case "throwable":
                    call(caller, "stopThreadWith", new Class<?>[] {Thread.class, Throwable.class}, worker,
                            new IllegalStateException("obsolete"));
                    break;
                case "group":
                    call(caller, "stopGroup", new Class<?>[] {ThreadGroup.class}, group);
                    break;
                case "self":
                    call(caller, "stopSelf", new Class<?>[0]);
                    break;
                default:
                    throw new IllegalArgumentException(kase);
            }
        } catch (Throwable t) {
            threw = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        Report.line("STOPPED", Map.of("case", kase, "threw", threw));
    }

    private Thread startWorker(Class<?> workerClass, ThreadGroup group, String name) throws Exception {
        Thread t = (Thread) (group == null ? workerClass.getConstructor(String.class).newInstance(name)
                : workerClass.getConstructor(ThreadGroup.class, String.class).newInstance(group, name));
        t.setUncaughtExceptionHandler((thread, e) -> died.put(thread, e));
        t.start();
        while (!workerClass.getField("spinning").getBoolean(t)) {
            Thread.onSpinWait(); // until it spins inside its try block
        }
        workers.add(t);
        return t;
    }

    private void machine() throws Throwable {
        Class<?> machineClass = Class.forName(PKG + "Machine");
        Object machine = machineClass.getConstructor().newInstance();
        Object state = call(Class.forName(PKG + "StopCaller"), "stopMachine", new Class<?>[] {machineClass}, machine);
        Report.line("MACHINE", Map.of("state", state));
    }

    private void state() throws Exception {
        Class<?> workerClass = Class.forName(PKG + "Worker");
        List<String> ends = new ArrayList<>();
        int alive = 0;
        for (Thread t : workers) {
            if (t.isAlive()) {
                alive++;
                ends.add(t.getName() + " alive");
            } else {
                Throwable e = died.get(t);
                ends.add(t.getName() + " died of " + Report.nameOf(e) + (e == null || e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("alive", alive);
        fields.put("workers", String.join("; ", ends));
        fields.put("cleanups", workerClass.getField("cleanups").getInt(null));
        Report.line("STATE", fields);
    }

    private static Object call(Class<?> c, String method, Class<?>[] types, Object... args) throws Throwable {
        Method m = c.getMethod(method, types);
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
