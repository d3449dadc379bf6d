package dev.killswitch.bench;

/** How long to measure: quick finishes in minutes on two cores, full takes its time for tighter errors. */
enum Mode {
    QUICK(1, 3, 5, 10, 5, 1, 10),
    FULL(5, 5, 5, 30, 10, 8, 30);

    final int forks;
    final int warmupIterations;
    final int iterations;
    final int latencyTrials;
    final int stormSeconds;
    final int stormRepeats;
    final int startupRuns;

    Mode(int forks, int warmupIterations, int iterations, int latencyTrials, int stormSeconds, int stormRepeats, int startupRuns) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.iterations = iterations;
        this.latencyTrials = latencyTrials;
        this.stormSeconds = stormSeconds;
        this.stormRepeats = stormRepeats;
        this.startupRuns = startupRuns;
    }
}
