package com.acme.scripts;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * An application that runs users' scripts on one worker thread per engine, in the same engine instance one after
 * another, and kills a script that runs away. Arguments: the engines to open ({@code groovy},
 * {@code rhino-interpreted}, {@code rhino-compiled}). Commands on standard input, one per line:
 * <ul>
 * <li>{@code runaway ENGINE SCRIPT SECONDS [DEPTH]}: runs a runaway script, kills the worker once the script says it runs,
 * waits up to SECONDS for the script to end, then runs {@code 1 + 2} on the same engine; prints {@code @@ RUNAWAY};</li>
 * <li>{@code free ENGINE SCRIPT SECONDS [DEPTH]}: runs a runaway script without a kill; prints {@code @@ FREE};</li>
 * <li>{@code check ENGINE}: runs the small correct scripts; prints {@code @@ CHECK};</li>
 * <li>{@code bench ENGINE N}: times a bounded loop of N steps (best of 5); prints {@code @@ BENCH}.</li>
 * </ul>
 * Prints {@code @@ READY} once every engine has run a first script.
 */
public final class ScriptHost {
    private final Map<String, Worker> workers = new LinkedHashMap<>();

    private ScriptHost() {
    }

    public static void main(String[] args) throws Exception {
        ScriptHost app = new ScriptHost();
        for (String engine : args) {
            app.workers.put(engine, new Worker(engine, open(engine)));
        }
        for (Map.Entry<String, Worker> w : app.workers.entrySet()) {
            Worker.Run first = w.getValue().evaluate("warm-up", "1 + 2", 60);
            if (first.error != null) {
                first.error.printStackTrace();
            }
        }
        report("READY", "engines", String.join(",", args), "agent", Boolean.toString(Killswitch.isActive()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "runaway":
                    app.runaway(app.worker(words[1]), words[1], words[2], Long.parseLong(words[3]),
                            words.length > 4 ? Long.parseLong(words[4]) : 100);
                    break;
                case "free":
                    app.free(app.worker(words[1]), words[1], words[2], Long.parseLong(words[3]),
                            words.length > 4 ? Long.parseLong(words[4]) : 100);
                    break;
                case "check":
                    app.check(app.worker(words[1]), words[1]);
                    break;
                case "bench":
                    app.bench(app.worker(words[1]), words[1], Long.parseLong(words[2]));
                    break;
                default:
                    report("UNKNOWN", "line", line);
            }
        }
    }

    private static Engine open(String engine) {
        switch (engine) {
            case "groovy":
                return new GroovyEngine();
            case "rhino-interpreted":
                return new RhinoEngine(true);
            case "rhino-compiled":
                return new RhinoEngine(false);
            default:
                throw new IllegalArgumentException("unknown engine " + engine);
        }
    }

    private Worker worker(String engine) {
        Worker w = workers.get(engine);
        if (w == null) {
            throw new IllegalArgumentException("engine not opened: " + engine);
        }
        return w;
    }

    private void runaway(Worker worker, String engine, String script, long seconds, long depth) throws InterruptedException {
        Worker.Run run = worker.submit(script, UserScripts.runaway(worker.engine().language(), script, depth));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!run.running.await(10, TimeUnit.MILLISECONDS) && !run.ended() && System.nanoTime() < deadline) {
            // the script says it runs, or it ended by itself first
        }
        if (run.running.getCount() > 0) {
            report("RUNAWAY", "engine", engine, "script", script, "started", "false", "ended", Boolean.toString(run.ended()),
                    "error", run.error == null ? "-" : oneLine(run.error));
            return;
        }
        long start = System.nanoTime();
        KillHandle handle = Killswitch.kill(worker.thread(), "runaway script " + script);
        KillStatus asked = handle.status();
        boolean ended = run.await(seconds);
        double killMs = ended ? (run.endNanos - start) / 1e6 : -1;
        StringJoiner fields = new StringJoiner("\t");
        Throwable killed = ended ? killIn(run.error) : null;
        String[] pairs = {
                "engine", engine, "script", script, "started", "true",
                "asked", asked.toString(), "status", handle.status().toString(), "ended", Boolean.toString(ended),
                "killMs", String.format(Locale.ROOT, "%.2f", killMs),
                "latencyMs", handle.deliveryLatency().map(d -> String.format(Locale.ROOT, "%.2f", d.toNanos() / 1e6)).orElse("-"),
                "error", ended && run.error != null ? oneLine(run.error) : "-",
                "suppressed", ended && run.error != null && run.error.getSuppressed().length > 0
                        ? oneLine(run.error.getSuppressed()[0]) : "-",
                "killed", Boolean.toString(killed != null),
                "javaFrames", killed != null ? Integer.toString(killed.getStackTrace().length) : "-",
                "finally", Boolean.toString(run.finallyRan),
                "caught", Integer.toString(run.caught.get()),
                "depth", String.valueOf(worker.engine().global("depth")),
                "deliveredAt", handle.deliveredAt().map(StackTraceElement::toString).orElse("-"),
                "whyNot", handle.whyNotDelivered().orElse("-"),
        };
        for (int i = 0; i < pairs.length; i += 2) {
            fields.add(pairs[i] + "=" + pairs[i + 1].replace('\t', ' ').replace('\n', ' '));
        }
        if (ended) {
            Worker.Run next = worker.evaluate("next", "1 + 2", 60);
            fields.add("next=" + (next.error != null ? oneLine(next.error) : String.valueOf(next.value)));
        } else {
            fields.add("next=-");
        }
        System.out.println("@@ RUNAWAY\t" + fields);
        System.out.flush();
    }

    /** Runs a runaway script without killing it, to see how the engine itself ends it (if it does). */
    private void free(Worker worker, String engine, String script, long seconds, long depth) throws InterruptedException {
        long start = System.nanoTime();
        Worker.Run run = worker.submit(script, UserScripts.runaway(worker.engine().language(), script, depth));
        boolean ended = run.await(seconds);
        report("FREE", "engine", engine, "script", script, "ended", Boolean.toString(ended),
                "ms", ended ? String.format(Locale.ROOT, "%.1f", (run.endNanos - start) / 1e6) : "-",
                "error", ended && run.error != null ? oneLine(run.error) : "-",
                "javaFrames", ended && run.error != null ? Integer.toString(run.error.getStackTrace().length) : "-",
                "finally", Boolean.toString(run.finallyRan), "depth", String.valueOf(worker.engine().global("depth")));
    }

    private void check(Worker worker, String engine) throws InterruptedException {
        int passed = 0;
        StringJoiner failures = new StringJoiner(" | ");
        for (Map.Entry<String, String> c : UserScripts.checks(worker.engine().language()).entrySet()) {
            Worker.Run run = worker.evaluate("check", c.getKey(), 60);
            String got = !run.ended() ? "(still running)" : run.error != null ? oneLine(run.error) : String.valueOf(run.value);
            if (got.equals(c.getValue())) {
                passed++;
            } else {
                failures.add(c.getKey() + " gave " + got + ", not " + c.getValue());
            }
        }
        report("CHECK", "engine", engine, "passed", Integer.toString(passed), "failures", failures.toString());
    }

    private void bench(Worker worker, String engine, long n) throws InterruptedException {
        double best = Double.MAX_VALUE;
        String value = "";
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            Worker.Run run = worker.evaluate("bench", UserScripts.bench(worker.engine().language(), n), 120);
            best = Math.min(best, (run.endNanos - start) / 1e6);
            value = run.error != null ? oneLine(run.error) : String.valueOf(run.value);
        }
        report("BENCH", "engine", engine, "n", Long.toString(n), "value", value,
                "ms", String.format(Locale.ROOT, "%.1f", best));
    }

    /** The kill in the cause chain of what the script's evaluation threw, if the engine wrapped it. */
    private static Throwable killIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ThreadKilledError) {
                return c;
            }
        }
        return null;
    }

    private static String oneLine(Throwable t) {
        String text = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        text = text.replace('\t', ' ').replace('\n', ' ');
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static void report(String event, String... pairs) {
        StringBuilder b = new StringBuilder("@@ ").append(event);
        for (int i = 0; i < pairs.length; i += 2) {
            b.append('\t').append(pairs[i]).append('=').append(pairs[i + 1].replace('\t', ' ').replace('\n', ' '));
        }
        System.out.println(b);
        System.out.flush();
    }
}
