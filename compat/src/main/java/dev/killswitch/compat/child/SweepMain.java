package dev.killswitch.compat.child;

import dev.killswitch.Killswitch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM's main class for a published jar without a test suite here: loads and links every class of it (see
 * {@link Sweep}), reads the agent's counters, and writes both for the harness. Its arguments are the jars to sweep;
 * system properties {@code compat.results} and {@code compat.sweepResults} name the files to write.
 */
public final class SweepMain {
    private SweepMain() {
    }

    public static void main(String[] args) throws Exception {
        Results results = new Results();
        results.put("agent.active", Killswitch.isActive());
        List<Path> roots = new ArrayList<>();
        for (String arg : args) {
            roots.add(Path.of(arg));
        }
        Sweep.run(roots, Path.of(System.getProperty("compat.sweepResults")), results);
        if (Killswitch.isActive()) {
            AgentCounters.read(results);
        }
        results.write(Path.of(System.getProperty("compat.results")));
        System.exit(0);
    }
}
