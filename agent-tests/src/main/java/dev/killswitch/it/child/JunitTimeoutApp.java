package dev.killswitch.it.child;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the JUnit 5 tests {@code com.acme.junit5.StuckTests} named in the arguments with a real JUnit
 * Platform launcher, as a build tool would, and reports each result ({@code TEST}) and the end of the run
 * ({@code RUN DONE}). Then answers {@code THREADS?}: which of JUnit's timeout threads are still alive, and
 * how far the stuck loops have got.
 */
public final class JunitTimeoutApp {
    private static final String TESTS = "com.acme.junit5.StuckTests";

    private JunitTimeoutApp() {
    }

    public static void main(String[] args) throws Exception {
        List<org.junit.platform.engine.DiscoverySelector> selectors = new ArrayList<>();
        for (String method : args[0].split(",")) {
            selectors.add(DiscoverySelectors.selectMethod(TESTS + "#" + method));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest()) {
                    return;
                }
                Throwable t = result.getThrowable().orElse(null);
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("name", test.getDisplayName());
                fields.put("status", result.getStatus());
                fields.put("throwable", t == null ? "none" : t.getClass().getName() + ": " + t.getMessage());
                fields.put("causes", causes(t));
                Report.line("TEST", fields);
            }
        });
        Report.line("RUN DONE", Map.of("runner", Thread.currentThread().getName()));

        new CommandLoop().on("THREADS?", cmd -> threads()).run();
    }

    private static void threads() throws ReflectiveOperationException {
        List<String> alive = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (t.getName().startsWith("junit-timeout-thread") && t.isAlive()) {
                StackTraceElement[] stack = e.getValue();
                alive.add(t.getName() + " " + t.getState() + " at " + (stack.length == 0 ? "?" : stack[0]));
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("timeoutThreadsAlive", alive.size());
        fields.put("threads", alive);
        fields.put("separateThreadProgress", progress("separateThreadProgress"));
        fields.put("preemptiveProgress", progress("preemptiveProgress"));
        fields.put("sameThreadProgress", progress("sameThreadProgress"));
        fields.put("sameThreadRanOn", read("sameThreadRanOn"));
        Report.line("THREADS", fields);
    }

    private static String causes(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t == null ? null : t.getCause(); c != null; c = c.getCause()) {
            s.append(s.length() == 0 ? "" : " <- ").append(c.getClass().getName()).append(": ").append(c.getMessage());
        }
        if (t != null) {
            for (Throwable sup : t.getSuppressed()) {
                s.append(s.length() == 0 ? "" : " ").append("(suppressed ").append(sup.getClass().getName()).append(')');
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    private static long progress(String field) throws ReflectiveOperationException {
        return (Long) read(field);
    }

    private static Object read(String field) throws ReflectiveOperationException {
        Field f = Class.forName(TESTS).getDeclaredField(field);
        f.setAccessible(true);
        return f.get(null);
    }
}
