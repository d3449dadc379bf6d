package dev.killswitch.compat.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A library whose own test suite the harness runs: its published jar, its published tests (or, for the old library,
 * the workload written here), what the agent is told to select, which test classes the suite runs (its build's
 * Surefire includes and excludes, as console-launcher filters), and the spinner that loops in its code.
 */
public enum Library {
    COLLECTIONS4("commons-collections4 4.4", "org.apache.commons.collections4.**", "Collections4Spinner", 70_000,
            List.of("--include-classname", "^.*Test$", "--exclude-classname", ".*\\$.*",
                    "--exclude-classname", ".*\\.Abstract[^.]*$", "--exclude-classname", ".*\\.BulkTest$")),
    CODEC("commons-codec 1.17.1", "org.apache.commons.codec.**", "CodecSpinner", 1_700,
            List.of("--include-classname", Library.SUREFIRE_DEFAULT, "--exclude-classname", ".*\\$.*",
                    "--exclude-classname", ".*AbstractTest$", "--exclude-classname", ".*PerformanceTest$")),
    TEXT("commons-text 1.12.0", "org.apache.commons.text.**", "TextSpinner", 1_300,
            List.of("--include-classname", Library.SUREFIRE_DEFAULT, "--exclude-classname", ".*\\$.*"),
            // as its build tells Surefire: GraalVM's JavaScript engine runs interpreted on a stock JDK, and may say so
            "-Dpolyglot.engine.WarnInterpreterOnly=false"),
    BSH("BeanShell 2.0b4 (Java 1.2, jsr/ret), workload", "bsh.**,com.acme.compat.bsh.**", "BeanShellSpinner", 25,
            List.of("--include-classname", Library.SUREFIRE_DEFAULT)),

    // Published jars whose every class is only loaded and linked, with and without the agent: no suite of theirs runs
    // here, but the verifier sees all of their code instrumented. Each was once rejected by it.
    COMMONS_IO("commons-io 2.16.1 (classes only)"),
    WOODSTOX("woodstox-core 7.1.0 (classes only)");

    /** Surefire's default includes ({@code Test*}, {@code *Test}, {@code *Tests}, {@code *TestCase}) as a class-name pattern. */
    static final String SUREFIRE_DEFAULT = "^(.*\\.)?(Test[^.]*|[^.]*Test|[^.]*Tests|[^.]*TestCase)$";

    private final String title;
    private final String include;
    private final String spinner;
    private final int minimumTests;
    private final List<String> selection;
    private final List<String> jvmArgs;

    Library(String title) {
        this(title, null, null, 0, List.of());
    }

    Library(String title, String include, String spinner, int minimumTests, List<String> selection, String... jvmArgs) {
        this.title = title;
        this.include = include;
        this.spinner = spinner == null ? null : "dev.killswitch.compat.child." + spinner;
        this.minimumTests = minimumTests;
        this.selection = selection;
        this.jvmArgs = Arrays.asList(jvmArgs);
    }

    /** The libraries asked for with {@code compat.libraries} ({@code all}, or names separated by commas). */
    public static List<Library> selected() {
        String wanted = System.getProperty("compat.libraries", "all").trim();
        if (wanted.isEmpty() || wanted.equals("all") || wanted.startsWith("${")) {
            return List.of(values());
        }
        List<Library> libraries = new ArrayList<>();
        for (String name : wanted.split(",")) {
            libraries.add(valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        return libraries;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True for a library whose own test suite runs; false for a jar whose classes are only loaded and linked. */
    public boolean hasSuite() {
        return spinner != null;
    }

    public String title() {
        return title;
    }

    /** The agent's {@code include}: every package of the library and of its tests (of a jar without a suite: each of its packages). */
    public String include() {
        if (include != null) {
            return include;
        }
        Set<String> packages = new TreeSet<>();
        for (String name : classNames()) {
            if (name.contains(".")) {
                packages.add(name.substring(0, name.lastIndexOf('.')) + ".*");
            }
        }
        return String.join(",", packages);
    }

    public String spinnerClass() {
        return spinner;
    }

    /** Fewer tests than this found without the agent means the suite was not really run. */
    public int minimumTests() {
        return minimumTests;
    }

    /** Console-launcher options that pick the suite's test classes. */
    public List<String> selection() {
        return selection;
    }

    public List<String> jvmArgs() {
        return jvmArgs;
    }

    /** What a jar without a suite needs besides itself to load and link: {@code compat.<id>.classpath}, maybe empty. */
    public List<String> dependencies() {
        String value = System.getProperty("compat." + id() + ".classpath", "");
        return value.isBlank() || value.startsWith("${") ? List.of() : List.of(value.split(java.io.File.pathSeparator));
    }

    /** The library's published jar. */
    public Path jar() {
        return existing("compat." + id() + ".jar");
    }

    /** Its published tests jar, or the directory of the workload's classes. */
    public Path tests() {
        return existing("compat." + id() + ".tests");
    }

    /** The names of the classes in the library's jar (not its tests). */
    public Set<String> classNames() {
        Set<String> names = new TreeSet<>();
        try (ZipFile zip = new ZipFile(jar().toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")
                        && !name.endsWith("package-info.class")) {
                    names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Where the runs and the report go ({@code target/compat}). */
    static Path reportsDir() {
        try {
            return Files.createDirectories(Path.of(property("compat.reports")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A system property Maven sets for the harness. */
    static String property(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + property + " is not set: run the harness through Maven");
        }
        return value;
    }

    static Path existing(String property) {
        Path p = Path.of(property(property));
        if (!Files.exists(p)) {
            throw new IllegalStateException(property + " does not exist: " + p);
        }
        return p;
    }

    @Override
    public String toString() {
        return title;
    }
}
