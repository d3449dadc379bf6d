package dev.killswitch.compat.child;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Registered with the JUnit Platform through {@code META-INF/services}: once half the tests the suite planned have
 * finished, kills the spinner from the thread running the tests, so the kill certainly happens while the library's
 * own tests are running. Does nothing unless {@link SuiteMain} started a spinner.
 */
public final class MidwayKill implements TestExecutionListener {
    private final AtomicLong finished = new AtomicLong();
    private volatile long planned;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        planned = testPlan.countTestIdentifiers(TestIdentifier::isTest);
    }

    @Override
    public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult testExecutionResult) {
        SuiteMain.Current current = SuiteMain.current();
        if (current == null || !testIdentifier.isTest()) {
            return;
        }
        long done = finished.incrementAndGet();
        if (done >= Math.max(1, planned / 2) && !current.spinner().isKilled()) {
            current.spinner().kill(current.results(), "midway", done, planned);
        }
    }
}
