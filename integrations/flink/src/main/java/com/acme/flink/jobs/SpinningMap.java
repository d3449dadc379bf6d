package com.acme.flink.jobs;

import org.apache.flink.api.common.functions.MapFunction;

/** Shape "spin": a map function in a loop that never looks at the interrupt. */
public final class SpinningMap implements MapFunction<Long, Long> {
    public static final String SHAPE = "spin";
    private long counter;

    @Override
    public Long map(Long value) {
        Report.stuck(SHAPE);
        try {
            while (true) {
                counter++;
            }
        } finally {
            Report.finallyRan(SHAPE);
        }
    }
}
