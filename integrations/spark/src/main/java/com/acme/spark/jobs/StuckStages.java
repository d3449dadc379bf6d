package com.acme.spark.jobs;

import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/**
 * Stages whose function never ends by itself, as user code sometimes does: one spins, one sleeps in a loop that
 * swallows {@code InterruptedException}. Each reports {@code @@ STUCK} when it starts and {@code @@ FINALLY} when it
 * ends, with the id of the executor thread that ran it. The functions are lambdas: their bodies are methods of this
 * class, so selecting this package selects them.
 */
public final class StuckStages {
    static volatile long spins;

    private StuckStages() {
    }

    /** Runs the stage of that shape ({@code spin} or {@code sleep}) on one partition; returns only if it ends. */
    public static List<Integer> run(JavaSparkContext sc, String shape) {
        switch (shape) {
            case "spin":
                return sc.parallelize(List.of(1), 1).<Integer>map(x -> {
                    report("STUCK", shape);
                    try {
                        while (true) {
                            spins++;
                        }
                    } finally {
                        report("FINALLY", shape);
                    }
                }).collect();
            case "sleep":
                return sc.parallelize(List.of(1), 1).<Integer>map(x -> {
                    report("STUCK", shape);
                    try {
                        while (true) {
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                // swallowed: this code does not want to be stopped
                            }
                        }
                    } finally {
                        report("FINALLY", shape);
                    }
                }).collect();
            default:
                throw new IllegalArgumentException("no such shape: " + shape);
        }
    }

    private static void report(String event, String shape) {
        Thread t = Thread.currentThread();
        System.out.println("@@ " + event + "\tshape=" + shape + "\tthread=" + t.getId() + "\tname=" + t.getName());
        System.out.flush();
    }
}
