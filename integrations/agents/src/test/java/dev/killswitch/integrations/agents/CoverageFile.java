package dev.killswitch.integrations.agents;

import org.jacoco.core.data.ExecutionData;
import org.jacoco.core.data.ExecutionDataReader;
import org.jacoco.core.data.ExecutionDataStore;
import org.jacoco.core.data.SessionInfoStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The coverage file the JaCoCo agent wrote at the JVM's exit, read with JaCoCo's own reader. */
final class CoverageFile {
    private CoverageFile() {
    }

    /** Each class the file covers (VM name, as {@code com/acme/Job}) with the number of its probes that were hit. */
    static Map<String, Integer> probesHit(Path execFile) throws IOException {
        ExecutionDataStore store = new ExecutionDataStore();
        try (InputStream in = Files.newInputStream(execFile)) {
            ExecutionDataReader reader = new ExecutionDataReader(in);
            reader.setExecutionDataVisitor(store);
            reader.setSessionInfoVisitor(new SessionInfoStore());
            reader.read();
        }
        Map<String, Integer> hits = new TreeMap<>();
        for (ExecutionData data : store.getContents()) {
            int hit = 0;
            for (boolean probe : data.getProbes()) {
                hit += probe ? 1 : 0;
            }
            hits.put(data.getName(), hit);
        }
        return hits;
    }
}
