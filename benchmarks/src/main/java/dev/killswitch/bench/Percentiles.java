package dev.killswitch.bench;

import java.util.List;

/** Nearest-rank percentiles, in a class of its own so that probes that load no agent class (FloorProbe) can use it too. */
final class Percentiles {
    private Percentiles() {
    }

    /** The {@code p}th percentile of {@code sorted} (ascending), by nearest rank. */
    static double of(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
