package dev.killswitch.bench;

import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.instrument.killpoints.KillPointInserter;
import dev.killswitch.instrument.killpoints.KillPointTransformer;
import dev.killswitch.instrument.retrofit.StopShimTransformer;
import dev.killswitch.runtime.registry.KillPointKind;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Throughput of the agent's transformer over every class of a very large jar, on one thread. */
final class TransformRate {
    private TransformRate() {
    }

    static void run(Mode mode, PrintStream out) throws Exception {
        Path jar = Environment.corpus("kotlin-compiler-embeddable");
        List<String> names = new ArrayList<>();
        List<byte[]> classes = new ArrayList<>();
        long bytes = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(file.entries())) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                    byte[] b = file.getInputStream(e).readAllBytes();
                    names.add(n.substring(0, n.length() - 6));
                    classes.add(b);
                    bytes += b.length;
                }
            }
        }
        ByteArrayOutputStream reports = new ByteArrayOutputStream();
        KillPointTransformer transformer = new KillPointTransformer(
                new ClassSelector(KernelLoader.globs("**"), List.of()),
                new TransformReporter(false, new PrintStream(reports, true, StandardCharsets.UTF_8)), null);
        KillPointTransformer rejecting = new KillPointTransformer(
                new ClassSelector(KernelLoader.globs("org.nothing.**"), List.of()),
                new TransformReporter(false, System.err), null);

        int passes = mode == Mode.QUICK ? 3 : 6;
        double best = 0;
        int changed = 0;
        for (int pass = 0; pass < passes + 2; pass++) { // two warm-up passes
            long start = System.nanoTime();
            changed = 0;
            for (int i = 0; i < classes.size(); i++) {
                if (transformer.transform(null, null, names.get(i), null, null, classes.get(i)) != null) {
                    changed++;
                }
            }
            double rate = classes.size() / ((System.nanoTime() - start) / 1e9);
            if (pass >= 2) {
                best = Math.max(best, rate);
            }
        }
        double rejectNanos = Double.MAX_VALUE;
        for (int pass = 0; pass < 10; pass++) { // warm, then the best pass
            long start = System.nanoTime();
            for (int i = 0; i < classes.size(); i++) {
                rejecting.transform(null, null, names.get(i), null, null, classes.get(i));
            }
            rejectNanos = Math.min(rejectNanos, (System.nanoTime() - start) / (double) classes.size());
        }

        // stop-shim=true runs over every non-JDK class: most are answered by one walk of the constant pool.
        StopShimTransformer stopShim = new StopShimTransformer(new TransformReporter(false, System.err), System.err, false, null);
        double stopShimNanos = Double.MAX_VALUE;
        int stopCallers = 0;
        for (int pass = 0; pass < 10; pass++) { // warm, then the best pass
            long start = System.nanoTime();
            stopCallers = 0;
            for (int i = 0; i < classes.size(); i++) {
                if (stopShim.transform(null, null, names.get(i), null, null, classes.get(i)) != null) {
                    stopCallers++;
                }
            }
            stopShimNanos = Math.min(stopShimNanos, (System.nanoTime() - start) / (double) classes.size());
        }

        int[] killPoints = new int[KillPointKind.values().length];
        KillPointInserter inserter = new KillPointInserter();
        long added = 0;
        for (byte[] c : classes) {
            try {
                KillPointInserter.Result r = inserter.instrument(c);
                for (KillPointKind k : KillPointKind.values()) {
                    killPoints[k.ordinal()] += r.killPoints(k);
                }
                added += r.bytes().length - c.length;
            } catch (RuntimeException | Error ignored) {
                // counted through the reporter above
            }
        }
        long unchanged = reports.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("loaded unchanged")).count();
        out.println();
        out.println("Transformation rate over " + jar.getFileName() + ", one thread, " + Environment.describe());
        out.println(String.format(Locale.ROOT, "%d classes (%.1f MB): %.0f classes/s (%.1f MB/s, %.1f us a class), best of %d passes",
                classes.size(), bytes / 1e6, best, best * bytes / classes.size() / 1e6, 1e6 / best, passes));
        out.println(String.format(Locale.ROOT, "instrumented %d, left unchanged %d, without methods to instrument %d; kill points:"
                        + " %d back-edge, %d method-entry, %d blocking calls, %d catch- and finally-block exits; class files grew by %.1f%%",
                changed, unchanged, classes.size() - changed - unchanged, killPoints[KillPointKind.BACK_EDGE.ordinal()],
                killPoints[KillPointKind.METHOD_ENTRY.ordinal()], killPoints[KillPointKind.BLOCKING_CALL.ordinal()],
                killPoints[KillPointKind.CATCH_EXIT.ordinal()], 100.0 * added / bytes));
        out.println(String.format(Locale.ROOT, "a class that no pattern selects costs %.0f ns (name check only)", rejectNanos));
        out.println(String.format(Locale.ROOT, "stop-shim=true costs %.0f ns a class on average (a constant-pool walk; %d classes"
                + " call a stop method and were rewritten)", stopShimNanos, stopCallers));
        reports.toString(StandardCharsets.UTF_8).lines().limit(5).forEach(l -> out.println("  " + l));
    }
}
