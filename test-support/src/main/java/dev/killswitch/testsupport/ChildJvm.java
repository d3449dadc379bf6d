package dev.killswitch.testsupport;

import org.awaitility.core.ConditionFactory;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A child JVM started with the real agent jar: sends it commands, waits (with Awaitility) for its
 * report lines, and destroys it when closed.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final OutputPumps output;
    private final List<String> stdout;
    private final List<String> stderr;
    private final Writer stdin;
    private final String commandLine;
    private final Path launcher;
    private int cursor;

    private ChildJvm(Path launcher, List<String> command, Map<String, String> env) throws IOException {
        this.launcher = launcher;
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("KILLSWITCH_") || k.startsWith("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        pb.environment().putAll(env);
        this.commandLine = String.join(" ", command);
        this.process = pb.start();
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.output = new OutputPumps(process);
        this.stdout = output.stdout;
        this.stderr = output.stderr;
    }

    public static Builder with(Jdk jdk) {
        return new Builder(jdk);
    }

    /** Sends one command line. */
    public ChildJvm send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("child JVM no longer reads commands:\n" + describe(), e);
        }
        return this;
    }

    /** Waits for the next report line ({@code @@ EVENT ...}) of that event, after those already taken. */
    public Line awaitEvent(String event) {
        return awaitEvent(event, DEFAULT_WAIT);
    }

    public Line awaitEvent(String event, Duration timeout) {
        return awaitEvent(event, timeout, null, 0);
    }

    /**
     * As above; an {@code ERROR} report line for {@code command} (if not null), printed at or after {@code errorsFrom},
     * ends the wait: the answer will not come.
     */
    private Line awaitEvent(String event, Duration timeout, String command, int errorsFrom) {
        String prefix = "@@ " + event;
        Predicate<String> matches = l -> l.equals(prefix) || l.startsWith(prefix + "\t");
        String[] found = new String[1];
        String[] instead = new String[1];
        // Polled in this thread, often: the condition moves the cursor, and answers come within milliseconds.
        ConditionFactory often = await().atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(5));
        until("report line " + prefix + " from the child JVM", often, timeout, () -> {
            int i = indexOf(matches);
            if (i >= 0) {
                found[0] = stdout.get(i);
                cursor = i + 1;
                return true;
            }
            for (int e = errorsFrom; command != null && e < stdout.size(); e++) {
                String line = stdout.get(e);
                if (line.startsWith("@@ ERROR\t") && (line + "\t").contains("\tcommand=" + command + "\t")) {
                    instead[0] = "the child JVM answered " + line;
                    return true;
                }
            }
            if (!process.isAlive() && output.allRead() && indexOf(matches) < 0) {
                instead[0] = "the child JVM exited with status " + process.exitValue();
                return true;
            }
            return false;
        });
        if (instead[0] != null) {
            throw new AssertionError("no report line " + prefix + ": " + instead[0] + ":\n" + describe());
        }
        return new Line(found[0]);
    }

    /**
     * Waits until the condition holds; if it does not within the timeout, fails with what the child had printed by
     * then and where each of its threads was (a description taken before the wait would miss both).
     */
    public void until(String what, Duration timeout, Callable<Boolean> condition) {
        until(what, await().atMost(timeout), timeout, condition);
    }

    private void until(String what, ConditionFactory wait, Duration timeout, Callable<Boolean> condition) {
        try {
            wait.until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms\n" + diagnosis(), e);
        }
    }

    /** What the child printed, and the stack of each of its threads if it is still running. */
    public String diagnosis() {
        String threads = process.isAlive() ? ThreadDump.of(launcher, process.pid()) : "(exited with status " + process.exitValue() + ")";
        return describe() + "\n--- threads of the child JVM:\n" + threads;
    }

    /** The first report line of that event printed so far (for programs that ran to their end). */
    public Line event(String event) {
        String prefix = "@@ " + event;
        return stdout.stream().filter(l -> l.equals(prefix) || l.startsWith(prefix + "\t")).findFirst().map(Line::new)
                .orElseThrow(() -> new AssertionError("no report line " + prefix + ":\n" + describe()));
    }

    /** Every report line of that event printed so far. */
    public List<Line> events(String event) {
        String prefix = "@@ " + event;
        return stdout.stream().filter(l -> l.equals(prefix) || l.startsWith(prefix + "\t")).map(Line::new).collect(Collectors.toList());
    }

    /** Sends a command and waits for the answer of that event. */
    public Line ask(String command, String event) {
        int from = stdout.size();
        send(command);
        return awaitEvent(event, DEFAULT_WAIT, command, from);
    }

    /** Asks the same question until the answer satisfies {@code done}; returns that answer. */
    public Line askUntil(String command, String event, Predicate<Line> done, Duration timeout) {
        Line[] last = new Line[1];
        try {
            await().atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(20))
                    .until(() -> done.test(last[0] = ask(command, event)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no satisfying answer to " + command + " within " + timeout + "; last answer: "
                    + last[0] + "\n" + diagnosis(), e);
        }
        return last[0];
    }

    /**
     * Waits for the child to exit on its own, then for its last output lines to be read (a line its shutdown hook
     * printed may still be in the pipe when the process is gone); returns the exit code.
     */
    public int awaitExit(Duration timeout) {
        try {
            await().atMost(timeout).until(() -> !process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String diagnosis = diagnosis();
            close();
            throw new AssertionError("the child JVM did not exit within " + timeout + ", so it was destroyed:\n" + diagnosis, e);
        }
        awaitOutputEnd();
        return process.exitValue();
    }

    /** Waits until a line of standard error matches. */
    public String awaitStderr(Predicate<String> matches) {
        until("a matching line on the child's standard error", DEFAULT_WAIT, () -> stderr.stream().anyMatch(matches));
        return stderr.stream().filter(matches).findFirst().orElseThrow();
    }

    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Lines the agent printed (they start with {@code killswitch:}). */
    public List<String> agentLines() {
        return stderr.stream().filter(l -> l.startsWith("killswitch:")).collect(Collectors.toList());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String describe() {
        return "command: " + commandLine + "\n--- stdout:\n" + String.join("\n", stdout) + "\n--- stderr:\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int indexOf(Predicate<String> matches) {
        for (int i = cursor; i < stdout.size(); i++) {
            if (matches.test(stdout.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** After the process has exited: waits until its last output lines have been read. */
    public void awaitOutputEnd() {
        output.awaitEnd();
    }

    /** A report line: {@code @@ EVENT\tkey=value\t...}. */
    public static final class Line {
        private final String text;
        private final Map<String, String> fields = new LinkedHashMap<>();

        Line(String text) {
            this.text = text;
            String[] parts = text.split("\t");
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }

        public String get(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new AssertionError("no field " + key + " in " + text);
            }
            return v;
        }

        public boolean flag(String key) {
            return Boolean.parseBoolean(get(key));
        }

        public long number(String key) {
            return Long.parseLong(get(key));
        }

        public double decimal(String key) {
            return Double.parseDouble(get(key));
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** How to start a child JVM. */
    public static final class Builder {
        private final Jdk jdk;
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xverify:all", "-XX:+UseG1GC"));
        private final Map<String, String> env = new HashMap<>();
        private final List<Path> classPath = new ArrayList<>();
        private String agentArgs;
        private boolean agent = true;
        private final List<Path> agentsAfter = new ArrayList<>();
        private String main;
        private Path jar;
        private final List<String> args = new ArrayList<>();

        Builder(Jdk jdk) {
            this.jdk = jdk;
            classPath.add(Paths.childClasses());
        }

        /** Agent arguments, for example {@code include=com.acme.**;debug=true}. */
        public Builder agentArgs(String value) {
            this.agentArgs = value;
            return this;
        }

        /** No agent; the public API still comes from the agent jar, now an ordinary class-path entry. */
        /** Another agent, loaded after killswitch (its transformer runs after killswitch's). */
        public Builder agentAfter(Path jar) {
            agentsAfter.add(jar);
            return this;
        }

        public Builder withoutAgent() {
            this.agent = false;
            classPath.add(Paths.agentJar());
            return this;
        }

        /** No agent, and the agent jar nowhere: a JVM that has never heard of killswitch, to attach to later. */
        public Builder withoutAgentJar() {
            this.agent = false;
            return this;
        }

        /** Program arguments (after the main class or jar). */
        public Builder args(String... values) {
            args.addAll(Arrays.asList(values));
            return this;
        }

        public Builder jvmArgs(String... values) {
            jvmArgs.addAll(Arrays.asList(values));
            return this;
        }

        /** Replaces the default -XX:+UseG1GC. */
        public Builder gc(String flag) {
            jvmArgs.remove("-XX:+UseG1GC");
            jvmArgs.add(flag);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder classPath(Path... entries) {
            classPath.addAll(Arrays.asList(entries));
            return this;
        }

        public Builder main(Class<?> mainClass, String... arguments) {
            return main(mainClass.getName(), arguments);
        }

        public Builder main(String mainClass, String... arguments) {
            this.main = mainClass;
            args.addAll(Arrays.asList(arguments));
            return this;
        }

        /** Runs {@code java -jar jar} instead of a main class on the class path. */
        public Builder jar(Path executableJar) {
            this.jar = executableJar;
            return this;
        }

        public ChildJvm start() {
            List<String> command = new ArrayList<>();
            command.add(jdk.java().toString());
            command.addAll(jvmArgs);
            if (agent) {
                command.add("-javaagent:" + Paths.agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
            }
            for (Path other : agentsAfter) {
                command.add("-javaagent:" + other);
            }
            if (jar != null) {
                command.add("-jar");
                command.add(jar.toString());
            } else {
                command.add("-cp");
                command.add(classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
                command.add(main);
            }
            command.addAll(args);
            try {
                return new ChildJvm(jdk.java(), command, env);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
