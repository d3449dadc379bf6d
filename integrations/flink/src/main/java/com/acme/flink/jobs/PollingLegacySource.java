package com.acme.flink.jobs;

import org.apache.flink.streaming.api.functions.source.legacy.SourceFunction;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Shape "legacy-source": a source written against the old {@code SourceFunction} API (in Flink 2 it lives in
 * {@code ...source.legacy}), polling an inbox for records that never come. Its {@code cancel()} sets the flag as the
 * API asks, but the poll helper waits for a record without looking at the flag, and retries on interrupt.
 */
public final class PollingLegacySource implements SourceFunction<String> {
    public static final String SHAPE = "legacy-source";
    private static final Queue<String> INBOX = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    @Override
    public void run(SourceContext<String> ctx) {
        Report.stuck(SHAPE);
        try {
            while (running) {
                String record = nextRecord();
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(record);
                }
            }
        } finally {
            Report.finallyRan(SHAPE);
        }
    }

    private static String nextRecord() {
        while (true) {
            String record = INBOX.poll();
            if (record != null) {
                return record;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                // retried: the poll "must not lose a record"
            }
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
