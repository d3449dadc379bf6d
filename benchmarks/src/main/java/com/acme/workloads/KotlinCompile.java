package com.acme.workloads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Kotlin compiler (kotlin-compiler-embeddable, run in this JVM as the Gradle and Maven plugins run it) compiling a
 * real source tree: the Kotlin and Java sources of a published library, unpacked from its sources jar, against the jars
 * it depends on. One operation is one whole compilation to class files; its checksum is a digest of every class file
 * written, which is the same in every run of the same compiler.
 *
 * <p>Arguments: the sources jar, then the folder of jars to compile against (every jar in it but the sources jar).
 */
final class KotlinCompile implements Workload.Op {
    private final Object compiler;
    private final Method exec;
    private final Path out;
    private final String[] arguments;

    KotlinCompile(Path sourcesJar, Path classPathFolder) throws Exception {
        Path work = Files.createTempDirectory("kotlinc-workload");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(work)));
        Path sources = work.resolve("src");
        unpack(sourcesJar, sources);
        out = work.resolve("out");
        String classPath;
        try (Stream<Path> jars = Files.list(classPathFolder)) {
            classPath = jars.filter(j -> j.toString().endsWith(".jar") && !j.toString().endsWith("-sources.jar")).sorted()
                    .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        }
        arguments = new String[] {"-no-stdlib", "-no-reflect", "-nowarn", "-jvm-target", "17", "-module-name", "workload",
            "-classpath", classPath, "-d", out.toString(), "-Xjava-source-roots=" + sources, sources.toString()};
        Class<?> type = Class.forName("org.jetbrains.kotlin.cli.jvm.K2JVMCompiler");
        compiler = type.getConstructor().newInstance();
        exec = type.getMethod("exec", PrintStream.class, String[].class);
    }

    @Override
    public long run() throws Exception {
        delete(out);
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        Object exitCode = exec.invoke(compiler, new PrintStream(messages, true, StandardCharsets.UTF_8), arguments);
        if (!"OK".equals(String.valueOf(exitCode))) {
            throw new IllegalStateException("kotlinc: " + exitCode + "\n" + messages.toString(StandardCharsets.UTF_8));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        if (files.stream().filter(f -> f.toString().endsWith(".class")).count() < 50) {
            throw new IllegalStateException("kotlinc wrote only " + files.size() + " files");
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (Path f : files) {
            digest.update(out.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            digest.update(Files.readAllBytes(f));
        }
        return ByteBuffer.wrap(digest.digest()).getLong() ^ files.size();
    }

    private static void unpack(Path jar, Path into) throws IOException {
        int count = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(file.entries())) {
                String name = e.getName();
                if (!e.isDirectory() && (name.endsWith(".kt") || name.endsWith(".java")) && !name.startsWith("META-INF/")) {
                    Path target = into.resolve(name).normalize();
                    if (!target.startsWith(into)) {
                        throw new IOException("entry outside the tree: " + name);
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(e)) {
                        Files.copy(in, target);
                    }
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new IOException("no Kotlin or Java sources in " + jar);
        }
    }

    private static void delete(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(tree)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toCollection(ArrayList::new));
            for (Path p : all) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
