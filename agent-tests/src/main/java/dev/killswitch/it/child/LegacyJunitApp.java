package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import junit.extensions.ActiveTestSuite;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import junit.textui.TestRunner;

/**
 * Runs junit 3.8.1 (class files of Java 1.1, finally blocks as jsr/ret subroutines), instrumented
 * whole, and kills threads inside it.
 */
public final class LegacyJunitApp {
    private LegacyJunitApp() {
    }

    public static void main(String[] args) throws Exception {
        // 1. The instrumented framework runs a suite as before.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TestResult plain = new TestRunner(new PrintStream(out, true, StandardCharsets.UTF_8))
                .doRun(new TestSuite(Class.forName("com.acme.legacy.LegacySuite")));
        Report.line("SUITE", Map.of("run", plain.runCount(), "failures", plain.failureCount(), "errors", plain.errorCount()));

        // 2. A test that spins forever is killed. junit's catch (Throwable) in TestResult.runProtected records the
        //    error, tearDown runs (a jsr finally), and then the kill is raised again: the runner thread dies
        //    instead of going on to the next test.
        Class<?> spin = Class.forName("com.acme.legacy.SpinSuite");
        TestResult result = new TestResult();
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                new TestSuite(spin).run(result);
            } catch (Throwable t) {
                died.set(t);
            }
        }, "junit-runner");
        runner.setDaemon(true);
        runner.start();
        awaitSpinning(spin);
        KillHandle handle = Killswitch.kill(runner, "stuck JUnit 3 test");
        handle.awaitDelivery(Fixtures.PROMPTLY);
        runner.join(Fixtures.PROMPTLY.toMillis());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("delivered", handle.isDelivered());
        fields.put("deliveredAt", handle.deliveredAt().map(Object::toString).orElse("none"));
        fields.put("runnerAlive", runner.isAlive());
        fields.put("died", Report.nameOf(died.get()));
        fields.put("run", result.runCount());
        fields.put("errors", result.errorCount());
        fields.put("error", result.errorCount() == 0 ? "none"
                : ((TestFailure) result.errors().nextElement()).thrownException().getClass().getName());
        fields.put("tearDowns", spin.getField("tearDowns").getInt(null));
        Report.line("SPIN", fields);

        // 3. A thread waiting inside junit's own loop (ActiveTestSuite.waitUntilFinished) is killed there.
        spin.getField("spinning").setBoolean(null, false);
        ActiveTestSuite active = new ActiveTestSuite();
        active.addTest(TestSuite.createTest(spin, "testSpinForever"));
        Thread waiter = new Thread(() -> active.run(new TestResult()), "active-suite");
        waiter.setDaemon(true);
        waiter.start();
        awaitSpinning(spin);
        while (!Thread.State.WAITING.equals(waiter.getState())) {
            Thread.onSpinWait();
        }
        KillHandle inJunit = Killswitch.kill(waiter, "waiting in junit");
        inJunit.awaitDelivery(Fixtures.PROMPTLY);
        Report.line("ACTIVE", Map.of("delivered", inJunit.isDelivered(),
                "deliveredAt", inJunit.deliveredAt().map(Object::toString).orElse("none")));
        Report.line("APP DONE");
        System.exit(0);
    }

    private static void awaitSpinning(Class<?> spin) throws ReflectiveOperationException {
        while (!spin.getField("spinning").getBoolean(null)) {
            Thread.onSpinWait();
        }
    }
}
