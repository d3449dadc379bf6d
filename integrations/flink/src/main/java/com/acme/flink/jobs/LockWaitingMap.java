package com.acme.flink.jobs;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.concurrent.locks.ReentrantLock;

/** Shape "lock": waits in {@code Lock.lock()}, which ignores interrupts, for a lock another thread never gives back. */
public final class LockWaitingMap implements MapFunction<Long, Long> {
    public static final String SHAPE = "lock";
    /** A lock shared in the JVM, as a cache or a client library holds one; the driver makes a thread hold it. */
    public static final ReentrantLock SHARED = new ReentrantLock();

    @Override
    public Long map(Long value) {
        Report.stuck(SHAPE);
        try {
            SHARED.lock();
            try {
                return value;
            } finally {
                SHARED.unlock();
            }
        } finally {
            Report.finallyRan(SHAPE);
        }
    }
}
