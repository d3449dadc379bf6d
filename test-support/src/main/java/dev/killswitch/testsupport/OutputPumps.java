package dev.killswitch.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Reads a child process's standard output and error, a line at a time, as it prints them. */
final class OutputPumps {
    final List<String> stdout = new CopyOnWriteArrayList<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread[] pumps;

    OutputPumps(Process process) {
        pumps = new Thread[] {pump(process.getInputStream(), stdout, "stdout"), pump(process.getErrorStream(), stderr, "stderr")};
    }

    /** True once everything the process wrote has been read (a child that exits may still have lines in the pipe). */
    boolean allRead() {
        for (Thread pump : pumps) {
            if (pump.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** After the process has exited: waits until its last lines have been read. */
    void awaitEnd() {
        try {
            for (Thread pump : pumps) {
                pump.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread pump(InputStream in, List<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.add(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "child-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
