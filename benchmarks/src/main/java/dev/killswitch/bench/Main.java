package dev.killswitch.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the benchmarks and prints their figures.
 *
 * <pre>
 * java -jar benchmarks.jar [quick|full] [idle] [latency] [storm] [startup] [transform] [cli] [ondemand] [workloads]
 * </pre>
 * With no section named, runs all of them. {@code workloads} (real libraries instrumented whole, in child JVMs), like
 * {@code startup} and {@code transform}, needs the jars that {@code -Pbenchmark-corpus} puts beside this jar. Use the JDK to be measured to run this jar: JMH forks and
 * child JVMs use the same one.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Mode mode = Mode.QUICK;
        List<String> sections = new ArrayList<>();
        for (String a : args) {
            switch (a.toLowerCase(Locale.ROOT)) {
                case "quick":
                    mode = Mode.QUICK;
                    break;
                case "full":
                    mode = Mode.FULL;
                    break;
                case "idle":
                case "latency":
                case "storm":
                case "startup":
                case "transform":
                case "cli":
                case "ondemand":
                case "workloads":
                    sections.add(a.toLowerCase(Locale.ROOT));
                    break;
                default:
                    System.err.println("usage: java -jar benchmarks.jar [quick|full] [idle] [latency] [storm] [startup] [transform] [cli] [ondemand] [workloads]");
                    System.exit(2);
            }
        }
        if (sections.isEmpty()) {
            sections.addAll(List.of("transform", "startup", "cli", "latency", "ondemand", "storm", "idle", "workloads"));
        }
        PrintStream out = System.out;
        out.println("killswitch benchmarks, " + mode.name().toLowerCase(Locale.ROOT) + " mode: " + String.join(", ", sections));
        List<String> report = new ArrayList<>();
        for (String section : sections) {
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            PrintStream sink = new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8);
            switch (section) {
                case "idle":
                    IdleReport.run(mode, sink);
                    break;
                case "latency":
                    LatencyReport.run(mode, sink);
                    break;
                case "storm":
                    StormReport.run(mode, sink);
                    break;
                case "startup":
                    StartupReport.run(mode, sink);
                    break;
                case "cli":
                    ControlReport.run(mode, sink);
                    break;
                case "ondemand":
                    OnDemandReport.run(mode, sink);
                    break;
                case "workloads":
                    WorkloadReport.run(mode, sink);
                    break;
                default:
                    TransformRate.run(mode, sink);
            }
            String text = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
            out.print(text);
            report.add(text);
        }
        // JMH prints a lot; repeat the figures together at the end.
        out.println("\n==================== summary ====================");
        report.forEach(out::print);
    }
}
