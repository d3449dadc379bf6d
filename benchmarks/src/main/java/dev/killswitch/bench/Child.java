package dev.killswitch.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a child JVM to its end and returns its {@code RESULT} line as key=value pairs. */
final class Child {
    private Child() {
    }

    static Map<String, String> result(List<String> jvmArgs, String mainClass, String... args) throws IOException, InterruptedException {
        return result(jvmArgs, List.of(), mainClass, args);
    }

    /** @param classPath jars put on the class path after benchmarks.jar */
    static Map<String, String> result(List<String> jvmArgs, List<Path> classPath, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Environment.java());
        command.addAll(jvmArgs);
        command.add("-cp");
        StringBuilder cp = new StringBuilder(Environment.benchmarksJar().toString());
        for (Path p : classPath) {
            cp.append(File.pathSeparatorChar).append(p);
        }
        command.add(cp.toString());
        command.add(mainClass);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("child failed: " + String.join(" ", command) + "\n" + output);
        }
        for (String line : output.split("\\R")) {
            if (line.startsWith("RESULT\t")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String part : line.substring(7).split("\t")) {
                    int eq = part.indexOf('=');
                    fields.put(part.substring(0, eq), part.substring(eq + 1));
                }
                return fields;
            }
        }
        throw new IllegalStateException("no RESULT line from " + String.join(" ", command) + "\n" + output);
    }

    static String agent(String include) {
        return "-javaagent:" + Environment.agentJar() + "=include=" + include;
    }
}
