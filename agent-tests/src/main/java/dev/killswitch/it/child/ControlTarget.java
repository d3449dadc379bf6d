package dev.killswitch.it.child;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The victim JVM of the control-plane tests: it never uses the killswitch API (it may run without the
 * agent, to be attached to later); the kills come from another process. Commands on standard input:
 * {@code START name class method [platform|virtual]} runs {@code static long method(long)} with -1 (forever) on a new
 * thread, or {@code static void method()}; {@code ALIVE? name}; {@code RELEASE} lets
 * {@code com.acme.blocking.MonitorCase.hold} return; {@code EXIT-AFTER name} ends the JVM once that thread
 * has ended, as a batch job does; {@code EXIT}. When a thread dies of an error, it reports {@code DIED}.
 */
public final class ControlTarget {
    private static final Map<String, Thread> THREADS = new ConcurrentHashMap<>();

    private ControlTarget() {
    }

    public static void main(String[] args) throws Exception {
        Report.line("READY", Map.of("pid", ProcessHandle.current().pid()));
        new CommandLoop()
                .on("START", cmd -> start(cmd[1], cmd[2], cmd[3], cmd.length > 4 ? cmd[4] : "platform"))
                .on("ALIVE?", cmd -> {
                    Thread t = THREADS.get(cmd[1]);
                    Report.line("ALIVE", Map.of("name", cmd[1], "alive", t != null && t.isAlive(),
                            "state", t == null ? "none" : t.getState()));
                })
                .on("EXIT-AFTER", cmd -> {
                    Thread job = THREADS.get(cmd[1]);
                    Thread main = new Thread(() -> {
                        try {
                            job.join();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        System.exit(0);
                    }, "batch-main");
                    main.start();
                    Report.line("WAITING", Map.of("for", cmd[1]));
                })
                .on("RELEASE", cmd -> {
                    Class.forName("com.acme.blocking.MonitorCase").getField("release").setBoolean(null, true);
                    Report.line("RELEASED");
                })
                .run();
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    private static void start(String name, String className, String method, String kind) throws Exception {
        Class<?> c = Class.forName(className);
        Runnable body;
        try {
            c.getMethod(method, long.class);
            body = () -> Fixtures.call(className, method, -1);
        } catch (NoSuchMethodException e) {
            body = () -> Fixtures.run(c, method);
        }
        Thread t = Threads.create(kind, name, body);
        t.setUncaughtExceptionHandler((thread, error) -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", thread.getName());
            fields.put("error", error.getClass().getName());
            fields.put("message", error.getMessage());
            Report.line("DIED", fields);
        });
        THREADS.put(name, t);
        t.start();
        Report.line("STARTED", Map.of("name", name, "id", t.getId()));
    }
}
