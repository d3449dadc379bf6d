package dev.killswitch.compat.support;

import dev.killswitch.testsupport.Jdk;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.awaitility.Awaitility.await;

/**
 * One run of a library's test suite in a child JVM, with or without the agent, laid out the way the library's own
 * build runs it: the working directory holds {@code src/test/resources} and the test classes are a directory, because
 * some tests read their data as files.
 */
public final class SuiteRun {
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    public enum Mode {
        PLAIN, AGENT;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Library library;
    private final Mode mode;
    private final Path dir;
    private final long wallMillis;
    private final int exitCode;
    private final Map<String, String> results;
    private final Map<String, String> sweep;
    private final Map<String, TestReports.Outcome> tests;

    private SuiteRun(Library library, Mode mode, Path dir, long wallMillis, int exitCode) throws IOException {
        this.library = library;
        this.mode = mode;
        this.dir = dir;
        this.wallMillis = wallMillis;
        this.exitCode = exitCode;
        this.results = readKeyValues(dir.resolve("results.properties"));
        this.sweep = readSweep(dir.resolve("sweep.txt"));
        this.tests = TestReports.read(dir.resolve("reports"));
    }

    /** Runs the suite and waits for the child to exit. */
    public static SuiteRun run(Jdk jdk, Library library, Mode mode) throws IOException {
        Path dir = Library.reportsDir().resolve(jdk.toString().replace(' ', '-')).resolve(library.id()).resolve(mode.id());
        deleteTree(dir);
        Path work = Files.createDirectories(dir.resolve("work"));
        Path testClasses = library.hasSuite() ? layOut(library.tests(), work) : null;

        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(List.of("-Xverify:all", "-XX:+UseG1GC", "-Xmx2g", "-Djava.awt.headless=true"));
        if (jdk.feature() > 22) {
            // Byte Buddy 1.14 (Mockito's, in commons-text's tests) knows class files up to Java 22 unless told otherwise.
            command.add("-Dnet.bytebuddy.experimental=true");
        }
        command.addAll(library.jvmArgs());
        if (mode == Mode.AGENT) {
            command.add("-javaagent:" + Library.existing("agent.jar") + "=include=" + library.include() + ";debug=true");
        }
        command.add("-Dcompat.results=" + dir.resolve("results.properties"));
        command.add("-Dcompat.sweepResults=" + dir.resolve("sweep.txt"));
        List<String> classPath = new ArrayList<>();
        classPath.add(Library.existing("compat.launcher.classes").toString());
        if (mode == Mode.PLAIN) {
            classPath.add(Library.existing("agent.jar").toString()); // the public API, inactive without -javaagent
        }
        classPath.add(library.jar().toString());
        if (library.hasSuite()) {
            classPath.add(testClasses.toString());
            command.add("-Dcompat.spinner=" + library.spinnerClass());
            command.add("-Dcompat.sweep=" + library.jar() + File.pathSeparator + testClasses);
        }
        if (library.hasSuite()) {
            classPath.add(Library.property("compat.suite.classpath"));
        } else {
            classPath.addAll(library.dependencies());
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        if (library.hasSuite()) {
            command.add("dev.killswitch.compat.child.SuiteMain");
            command.addAll(List.of("execute", "--disable-banner", "--disable-ansi-colors", "--details=summary",
                    "--reports-dir=" + dir.resolve("reports"), "--scan-classpath=" + testClasses));
            command.addAll(library.selection());
        } else {
            command.add("dev.killswitch.compat.child.SweepMain");
            command.add(library.jar().toString());
        }

        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KILLSWITCH_") || k.startsWith("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        Files.writeString(dir.resolve("command.txt"), String.join("\n", command) + "\n");
        long start = System.nanoTime();
        Process process = pb.start();
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(library + " (" + mode.id() + ", " + jdk + ") did not finish within " + TIMEOUT
                    + "; its output is in " + dir, e);
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        if (!Files.exists(dir.resolve("results.properties"))) {
            throw new AssertionError(library + " (" + mode.id() + ", " + jdk + ") exited with " + process.exitValue()
                    + " without writing its results; standard error ends with:\n" + tail(dir.resolve("stderr.txt"), 40));
        }
        return new SuiteRun(library, mode, dir, wall, process.exitValue());
    }

    /**
     * Unpacks a tests jar into {@code work/test-classes}, and its resources also into {@code work/src/test/resources},
     * where tests that open their data as files look for it. A directory of test classes is used as it is.
     */
    private static Path layOut(Path tests, Path work) throws IOException {
        if (Files.isDirectory(tests)) {
            return tests;
        }
        Path classes = Files.createDirectories(work.resolve("test-classes"));
        Path resources = Files.createDirectories(work.resolve("src/test/resources"));
        try (ZipFile zip = new ZipFile(tests.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                List<Path> targets = new ArrayList<>(List.of(classes.resolve(name).normalize()));
                if (!name.endsWith(".class") && !name.startsWith("META-INF/")) {
                    targets.add(resources.resolve(name).normalize());
                }
                for (Path target : targets) {
                    if (!target.startsWith(work)) {
                        throw new IOException("entry outside the jar's folder: " + name);
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return classes;
    }

    public Library library() {
        return library;
    }

    public Mode mode() {
        return mode;
    }

    public Path dir() {
        return dir;
    }

    public long wallMillis() {
        return wallMillis;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What the child wrote to its results file ({@code suite.*}, {@code kill.*}, {@code sweep.*}, {@code agent.*}). */
    public String result(String key) {
        String v = results.get(key);
        if (v == null) {
            throw new AssertionError("the child wrote no " + key + " (see " + dir.resolve("results.properties") + ")");
        }
        return v;
    }

    public long number(String key) {
        return Long.parseLong(result(key));
    }

    /** Each test by unique id, as the console launcher's XML reports tell it. */
    public Map<String, TestReports.Outcome> tests() {
        return tests;
    }

    public long count(TestReports.Outcome outcome) {
        return tests.values().stream().filter(o -> o == outcome).count();
    }

    /** The sweep: each class of the library and its tests, {@code ok<TAB>code}, {@code ok<TAB>nocode}, or the error. */
    public Map<String, String> sweep() {
        return sweep;
    }

    public List<String> stderr() {
        return lines(dir.resolve("stderr.txt"));
    }

    /** Classes the agent said it instrumented ({@code debug=true}). */
    public Set<String> instrumentedClasses() {
        Set<String> names = new TreeSet<>();
        for (String line : stderr()) {
            if (line.startsWith("killswitch: instrumented ") && line.contains(": ")) {
                String rest = line.substring("killswitch: instrumented ".length());
                int colon = rest.indexOf(':');
                if (colon > 0 && !rest.substring(0, colon).contains(" ")) {
                    names.add(rest.substring(0, colon));
                }
            }
        }
        return names;
    }

    /** The agent's reports of classes (or methods) it left without kill points, with the reason. */
    public List<String> givenUp() {
        return stderr().stream().filter(l -> l.startsWith("killswitch: ")
                && (l.contains(" loaded unchanged") || l.contains(" left without kill points"))).toList();
    }

    /** Lines of the child's output, and failure texts of its reports, that mention a VerifyError. */
    public List<String> verifyErrors() {
        List<String> found = new ArrayList<>();
        for (String file : List.of("stdout.txt", "stderr.txt")) {
            lines(dir.resolve(file)).stream().filter(l -> l.contains("VerifyError")).forEach(l -> found.add(file + ": " + l.trim()));
        }
        sweep.forEach((name, outcome) -> {
            if (outcome.contains("VerifyError")) {
                found.add("sweep: " + name + ": " + outcome);
            }
        });
        if (!Files.isDirectory(dir.resolve("reports"))) {
            return found;
        }
        try (Stream<Path> reports = Files.list(dir.resolve("reports"))) {
            for (Path report : reports.toList()) {
                try (var in = Files.lines(report, StandardCharsets.UTF_8)) {
                    in.filter(l -> l.contains("VerifyError")).limit(20).forEach(l -> found.add(report.getFileName() + ": " + l.trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static List<String> lines(Path file) {
        try {
            // The suites print what they like; read bytes that are not UTF-8 as they come.
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file, int n) {
        List<String> all = lines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
    }

    private static Map<String, String> readKeyValues(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }

    private static Map<String, String> readSweep(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                map.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return map;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
