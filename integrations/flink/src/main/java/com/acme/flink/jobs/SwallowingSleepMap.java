package com.acme.flink.jobs;

import org.apache.flink.api.common.functions.MapFunction;

/** Shape "sleep": waits for something in a sleep loop that swallows {@link InterruptedException}. */
public final class SwallowingSleepMap implements MapFunction<Long, Long> {
    public static final String SHAPE = "sleep";

    @Override
    public Long map(Long value) {
        Report.stuck(SHAPE);
        try {
            while (true) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    // "not ready yet, try again": the usual way this code goes wrong
                }
            }
        } finally {
            Report.finallyRan(SHAPE);
        }
    }
}
