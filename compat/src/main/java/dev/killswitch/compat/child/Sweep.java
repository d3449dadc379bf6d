package dev.killswitch.compat.child;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads and links every class of the library and of its tests, whether the suite used it or not: loading runs the
 * agent's transformer over it, and linking ({@code getDeclaredMethods} links the class) runs the verifier, which
 * under {@code -Xverify:all} checks every class. Nothing is initialised.
 */
final class Sweep {
    private Sweep() {
    }

    /**
     * Writes one line per class: {@code name<TAB>ok<TAB>code} for a class with at least one method body other than a
     * static initialiser (so the agent must have given it kill points), {@code name<TAB>ok<TAB>nocode} for one without,
     * or {@code name<TAB>ErrorClass: message} for a class that could not be loaded or linked.
     */
    static void run(List<Path> roots, Path out, Results results) throws IOException {
        ClassLoader loader = Sweep.class.getClassLoader();
        int classes = 0;
        int failed = 0;
        int verifyErrors = 0;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            for (Path root : roots) {
                for (String name : classNames(root)) {
                    classes++;
                    String outcome;
                    try {
                        Class<?> c = Class.forName(name, false, loader);
                        outcome = "ok\t" + (hasCode(c) ? "code" : "nocode");
                    } catch (Throwable t) {
                        failed++;
                        if (t instanceof VerifyError) {
                            verifyErrors++;
                        }
                        outcome = t.getClass().getName() + ": " + String.valueOf(t.getMessage()).replace('\n', ' ').replace('\t', ' ');
                    }
                    w.println(name + "\t" + outcome);
                }
            }
        }
        results.put("sweep.classes", classes);
        results.put("sweep.failed", failed);
        results.put("sweep.verifyErrors", verifyErrors);
    }

    /** Links the class (reflection on its methods does) and says whether any method or constructor has a body. */
    private static boolean hasCode(Class<?> c) {
        boolean code = false;
        for (Method m : c.getDeclaredMethods()) {
            code |= (m.getModifiers() & (Modifier.ABSTRACT | Modifier.NATIVE)) == 0;
        }
        return code || c.getDeclaredConstructors().length > 0;
    }

    static List<String> classNames(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".class")).forEach(p -> add(names, root.relativize(p).toString().replace(File.separatorChar, '/')));
            }
        } else {
            try (ZipFile zip = new ZipFile(root.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    add(names, e.nextElement().getName());
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static void add(List<String> names, String path) {
        if (!path.endsWith(".class") || path.startsWith("META-INF/") || path.endsWith("module-info.class")
                || path.endsWith("package-info.class")) {
            return;
        }
        names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
}
