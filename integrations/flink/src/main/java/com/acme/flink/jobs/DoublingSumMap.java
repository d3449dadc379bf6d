package com.acme.flink.jobs;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** The small correct job run after each cancel: doubles each value and sums the results in an accumulator. */
public final class DoublingSumMap extends RichMapFunction<Integer, Integer> {
    public static final String SUM = "sum";
    private final LongCounter sum = new LongCounter();

    @Override
    public void open(OpenContext context) {
        getRuntimeContext().addAccumulator(SUM, sum);
    }

    @Override
    public Integer map(Integer value) {
        int doubled = value * 2;
        sum.add(doubled);
        return doubled;
    }
}
