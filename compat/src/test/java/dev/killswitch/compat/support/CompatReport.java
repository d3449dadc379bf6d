package dev.killswitch.compat.support;

import dev.killswitch.testsupport.Jdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The per-library table, written to {@code target/compat/report.md} and printed, as the runs finish. */
public final class CompatReport {
    private static final List<String> ROWS = new ArrayList<>();
    private static final List<String> NOTES = new ArrayList<>();
    private static final List<String> JARS = new ArrayList<>();

    private CompatReport() {
    }

    public static synchronized void add(Jdk jdk, SuiteRun plain, SuiteRun agent, int givenUp, int verifyErrors, List<String> failingInBoth) {
        Library lib = plain.library();
        Set<String> own = lib.classNames();
        long libraryClasses = plain.sweep().keySet().stream().filter(own::contains).count();
        long testClasses = plain.sweep().size() - libraryClasses;
        long instrumentedLibrary = agent.instrumentedClasses().stream().filter(own::contains).count();
        long instrumentedTests = agent.instrumentedClasses().stream().filter(n -> !own.contains(n) && plain.sweep().containsKey(n)).count();
        String row = String.format(Locale.ROOT,
                "| %s | %s | %d + %d | %d + %d | %s / %s / %s / %s | %s | %s | %s | %.2f (%.1f s / %.1f s) | %.2f | %d | %d | %s |",
                lib.title(), jdk, libraryClasses, testClasses, instrumentedLibrary, instrumentedTests,
                agent.result("agent.BackEdgeKillPoints"), agent.result("agent.MethodEntryKillPoints"),
                agent.result("agent.BlockingCallKillPoints"), agent.result("agent.CatchExitKillPoints"),
                tally(plain), tally(agent), killSummary(agent),
                ratio(agent.number("suite.millis"), plain.number("suite.millis")),
                plain.number("suite.millis") / 1000.0, agent.number("suite.millis") / 1000.0,
                ratio(agent.wallMillis(), plain.wallMillis()), givenUp, verifyErrors,
                failingInBoth.isEmpty() ? "none" : failingInBoth.size() + " (see below)");
        ROWS.add(row);
        System.out.println("compat: " + row);
        for (String test : failingInBoth) {
            NOTES.add("- " + lib.title() + ", " + jdk + ": fails in both runs: " + test);
        }
        write();
    }

    public static synchronized void addJar(Jdk jdk, SuiteRun plain, SuiteRun agent, int givenUp, int verifyErrors) {
        String line = String.format(Locale.ROOT, "- %s, %s: %s classes loaded and linked with the agent (%s without), %d instrumented,"
                        + " %s back-edge / %s method-entry / %s blocking-call kill points, %s catch- and finally-block exits;"
                        + " classes given up %d,"
                        + " VerifyErrors %d", plain.library().title(), jdk,
                agent.sweep().values().stream().filter(o -> o.startsWith("ok")).count(),
                plain.sweep().values().stream().filter(o -> o.startsWith("ok")).count(), agent.instrumentedClasses().size(),
                agent.result("agent.BackEdgeKillPoints"), agent.result("agent.MethodEntryKillPoints"),
                agent.result("agent.BlockingCallKillPoints"), agent.result("agent.CatchExitKillPoints"), givenUp, verifyErrors);
        JARS.add(line);
        System.out.println("compat: " + line);
        write();
    }

    private static String tally(SuiteRun run) {
        return String.format(Locale.ROOT, "%d run: %d passed, %d failed, %d skipped", run.tests().size(),
                run.count(TestReports.Outcome.PASSED), run.count(TestReports.Outcome.FAILED), run.count(TestReports.Outcome.SKIPPED));
    }

    private static String killSummary(SuiteRun agent) {
        return String.format(Locale.ROOT, "after %s of %s tests, in %.2f ms, at %s", agent.result("kill.testsFinished"),
                agent.result("kill.testsPlanned"), agent.number("kill.latencyMicros") / 1000.0, agent.result("kill.deliveredAt"));
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    private static void write() {
        StringBuilder md = new StringBuilder();
        md.append("| library | JDK | classes (library + tests) | instrumented (library + tests) | kill points: back-edge / method-entry"
                + " / blocking call / block exits | tests without agent | tests with agent | spinner killed |"
                + " suite time ratio (without / with) | JVM wall-time ratio | classes given up | VerifyErrors |"
                + " failing in both runs |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        ROWS.forEach(r -> md.append(r).append('\n'));
        if (!NOTES.isEmpty()) {
            md.append('\n');
            NOTES.forEach(n -> md.append(n).append('\n'));
        }
        if (!JARS.isEmpty()) {
            md.append("\nPublished jars, every class loaded and linked:\n\n");
            JARS.forEach(n -> md.append(n).append('\n'));
        }
        try {
            Path file = Library.reportsDir().resolve("report.md");
            Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
