package dev.killswitch.it.child;

import dev.killswitch.Killswitch;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Runs {@code com.acme.deadline.Jobs} under the deadlines given to the agent, and
 * {@code Killswitch.callWithDeadline}. Commands: {@code REPORT n} (Jobs.report(n) on a new thread: how it
 * ended), {@code CALL millis n} (callWithDeadline(millis, Jobs.spin(n)) on this thread: what it returned
 * or threw), {@code STEP millis n} (the same from selected code, {@code com.acme.api.DeadlineCaller}, which
 * handles the timeout and carries on), {@code COUNTERS?} (the MXBean's kill counters), {@code EXIT}.
 */
public final class DeadlineApp {
    private static final String JOBS = "com.acme.deadline.Jobs";

    private DeadlineApp() {
    }

    public static void main(String[] args) throws Exception {
        Report.line("READY", Map.of("active", Killswitch.isActive()));
        new CommandLoop()
                .on("REPORT", cmd -> report(Long.parseLong(cmd[1])))
                .on("CALL", cmd -> call(Long.parseLong(cmd[1]), Long.parseLong(cmd[2])))
                .on("STEP", cmd -> Report.line("STEPPED", Map.of("outcome", Class.forName("com.acme.api.DeadlineCaller")
                        .getMethod("runStep", long.class, long.class).invoke(null, Long.parseLong(cmd[1]), Long.parseLong(cmd[2])))))
                .on("COUNTERS?", cmd -> counters())
                .run();
    }

    private static void report(long n) throws Exception {
        Class<?> jobs = Class.forName(JOBS);
        Method report = jobs.getMethod("report", long.class);
        int cleanups = jobs.getField("cleanups").getInt(null);
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(report.invoke(null, n));
            } catch (InvocationTargetException e) {
                died.set(e.getCause());
            } catch (IllegalAccessException e) {
                died.set(e);
            }
        }, "report-job");
        t.setDaemon(true);
        t.start();
        t.join(30_000);
        Throwable e = died.get();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("alive", t.isAlive());
        fields.put("result", String.valueOf(result.get()));
        fields.put("died", Report.nameOf(e));
        fields.put("message", e == null ? "none" : e.getMessage());
        fields.put("at", e == null || e.getStackTrace().length == 0 ? "none" : e.getStackTrace()[0]);
        fields.put("cleanupRan", jobs.getField("cleanups").getInt(null) == cleanups + 1);
        Report.line("REPORTED", fields);
    }

    private static void call(long millis, long n) throws Exception {
        Method spin = Class.forName(JOBS).getMethod("spin", long.class);
        Map<String, Object> fields = new LinkedHashMap<>();
        try {
            Object r = Killswitch.callWithDeadline(Duration.ofMillis(millis), () -> {
                try {
                    return spin.invoke(null, n);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof Error) {
                        throw (Error) e.getCause();
                    }
                    throw new IllegalStateException(e.getCause());
                }
            });
            fields.put("result", r);
            fields.put("threw", "none");
        } catch (Exception e) {
            fields.put("threw", e.getClass().getName() + ": " + e.getMessage());
            fields.put("cause", e.getCause() == null ? "none" : e.getCause().getClass().getName() + ": " + e.getCause().getMessage());
        }
        fields.put("callerAlive", true);
        fields.put("interrupted", Thread.currentThread().isInterrupted());
        Report.line("CALLED", fields);
    }

    private static void counters() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer(); // exists from now on: the agent registers within a second
        ObjectName name = new ObjectName("dev.killswitch:type=Killswitch");
        Map<String, Object> fields = new LinkedHashMap<>();
        boolean registered = server.isRegistered(name);
        fields.put("registered", registered);
        if (registered) {
            fields.put("requested", server.getAttribute(name, "KillsRequested"));
            fields.put("delivered", server.getAttribute(name, "KillsDelivered"));
        }
        Report.line("COUNTERS", fields);
    }
}
