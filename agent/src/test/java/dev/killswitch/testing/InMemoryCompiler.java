package dev.killswitch.testing;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compiles the test fixtures with the running JDK's javac at a chosen --release, into memory: each set once per
 * release in a test JVM, whichever tests ask for it. (The integration tests use the same sources, compiled by the
 * build of {@code agent-tests}.)
 */
public final class InMemoryCompiler {
    public static final Path FIXTURES = Path.of("src", "test", "fixtures");
    private static final Map<String, Map<String, byte[]>> CACHE = new ConcurrentHashMap<>();

    private InMemoryCompiler() {
    }

    /** The sets of fixtures, each a source folder beside the unit tests. */
    public enum Fixtures {
        /** Loop shapes, blocking calls, catch blocks, retrofit targets. */
        SHAPES("fixtures"),
        /** Old code that calls {@code Thread.stop} (compiles only against the Java 8 API). */
        STOP("fixtures-stop"),
        /** Selected code that calls the public API (compiled against the agent's classes). */
        API("fixtures-api", Path.of("target", "classes")),
        /** A JUnit 3 suite, compiled against the JUnit 3 jar given. */
        JUNIT3("fixtures-junit3");

        final Path sources;
        final Path[] classPath;

        Fixtures(String folder, Path... classPath) {
            this.sources = Path.of("src", "test", folder);
            this.classPath = classPath;
        }
    }

    /** All fixture classes compiled at {@code release}, by binary name. Cached per release. */
    public static Map<String, byte[]> fixtures(int release) {
        return fixtures(Fixtures.SHAPES, release);
    }

    /** One set of fixtures compiled at {@code release}, against {@code classPath} as well as its own; cached. */
    public static Map<String, byte[]> fixtures(Fixtures set, int release, Path... classPath) {
        return CACHE.computeIfAbsent(set + "@" + release, k -> {
            Path[] all = Stream.concat(Stream.of(set.classPath), Stream.of(classPath)).toArray(Path[]::new);
            return Map.copyOf(compile(release, sourceFiles(set.sources), all));
        });
    }

    public static Map<String, byte[]> compile(int release, List<Path> sources, Path... classPath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, byte[]> out = new TreeMap<>();
        try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, null)) {
            ForwardingJavaFileManager<StandardJavaFileManager> memory = new ForwardingJavaFileManager<>(standard) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                           FileObject sibling) {
                    return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            return new ByteArrayOutputStream() {
                                @Override
                                public void close() {
                                    out.put(className, toByteArray());
                                }
                            };
                        }
                    };
                }
            };
            List<String> options = new java.util.ArrayList<>(List.of("--release", Integer.toString(release), "-g", "-nowarn", "-Xlint:-options"));
            if (classPath.length > 0) {
                options.add("-classpath");
                options.add(Stream.of(classPath).map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
            }
            boolean ok = javac.getTask(null, memory, diagnostics, options, null,
                    standard.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                throw new IllegalStateException("fixtures do not compile at --release " + release + ":\n"
                        + diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(Object::toString).collect(Collectors.joining("\n")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static List<Path> sourceFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest --release the running javac accepts. */
    public static int newestRelease() {
        return Runtime.version().feature();
    }
}
