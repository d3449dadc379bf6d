package dev.killswitch.compat.child;

import dev.killswitch.Killswitch;
import org.junit.platform.console.ConsoleLauncher;
import org.junit.platform.console.options.CommandResult;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.File;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM's main class: starts a thread spinning in a loop of the library under test, runs the library's own
 * test suite in-process with the JUnit Platform console launcher (its arguments are this program's), lets
 * {@link MidwayKill} kill the spinner halfway through, then loads and links every class of the library and its
 * tests, and writes what happened to a file for the harness.
 *
 * <p>System properties: {@code compat.spinner} (a {@link Spinner} class), {@code compat.sweep} (the library's jar and
 * its test classes, separated by the path separator), {@code compat.results} and {@code compat.sweepResults} (files
 * to write).
 */
public final class SuiteMain {
    /** The run in progress, for the listener. */
    record Current(SpinnerRun spinner, Results results) {
    }

    private static volatile Current current;

    private SuiteMain() {
    }

    static Current current() {
        return current;
    }

    public static void main(String[] args) throws Exception {
        Results results = new Results();
        results.put("agent.active", Killswitch.isActive());
        Spinner spinner = (Spinner) Class.forName(required("compat.spinner")).getConstructor().newInstance();
        SpinnerRun run = SpinnerRun.start(spinner);
        current = new Current(run, results);

        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        long start = System.nanoTime();
        CommandResult<?> result = ConsoleLauncher.run(out, err, args);
        long suiteNanos = System.nanoTime() - start;
        out.flush();
        err.flush();
        results.put("suite.exitCode", result.getExitCode());
        results.put("suite.millis", suiteNanos / 1_000_000);
        if (result.getValue().orElse(null) instanceof TestExecutionSummary summary) {
            results.put("suite.found", summary.getTestsFoundCount());
            results.put("suite.succeeded", summary.getTestsSucceededCount());
            results.put("suite.failed", summary.getTestsFailedCount());
            results.put("suite.aborted", summary.getTestsAbortedCount());
            results.put("suite.skipped", summary.getTestsSkippedCount());
        }
        // A suite too small to reach its middle still gets its spinner killed, and the harness sees it came late.
        run.kill(results, "after", -1, -1);
        current = null;

        List<Path> roots = new ArrayList<>();
        for (String root : required("compat.sweep").split(File.pathSeparator)) {
            roots.add(Path.of(root));
        }
        Sweep.run(roots, Path.of(required("compat.sweepResults")), results);
        if (Killswitch.isActive()) {
            AgentCounters.read(results);
        }
        results.write(Path.of(required("compat.results")));
        System.out.flush();
        System.err.flush();
        // Test suites may leave non-daemon threads behind.
        System.exit(0);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + property + " is not set");
        }
        return value;
    }
}
