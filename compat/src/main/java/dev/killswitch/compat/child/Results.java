package dev.killswitch.compat.child;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What the child found out, written as {@code key=value} lines for the harness to read. */
final class Results {
    private final Map<String, String> values = new TreeMap<>();

    synchronized void put(String key, Object value) {
        values.put(key, String.valueOf(value).replace('\n', ' ').replace('\r', ' '));
    }

    synchronized void write(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        }
    }
}
