package com.acme.kernels;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Blocking calls that do not block: what the kill-aware replacements of blocking calls cost when
 * no kill is pending and nothing has to wait. Each kernel makes {@code n} calls.
 */
public final class BlockingFastPaths {
    private BlockingFastPaths() {
    }

    /** Uncontended lock() and unlock(). */
    public static final class LockUnlock implements LongSupplier {
        private final ReentrantLock lock = new ReentrantLock();
        private final int n;
        private long counter;

        public LockUnlock(int n) {
            this.n = n;
        }

        @Override
        public long getAsLong() {
            for (int i = 0; i < n; i++) {
                lock.lock();
                try {
                    counter++;
                } finally {
                    lock.unlock();
                }
            }
            return counter;
        }
    }

    /** put() into and take() from a queue that is neither full nor empty. */
    public static final class QueuePutTake implements LongSupplier {
        private final BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(16);
        private final int n;

        public QueuePutTake(int n) {
            this.n = n;
        }

        @Override
        public long getAsLong() {
            long sum = 0;
            try {
                for (int i = 0; i < n; i++) {
                    queue.put(i & 7);
                    sum += queue.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sum;
        }
    }

    /** join() on a future that is already complete. */
    public static final class CompletedJoin implements LongSupplier {
        private final CompletableFuture<Integer> future = CompletableFuture.completedFuture(3);
        private final int n;

        public CompletedJoin(int n) {
            this.n = n;
        }

        @Override
        public long getAsLong() {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += future.join();
            }
            return sum;
        }
    }

    /** acquire() of a free permit, and release(). */
    public static final class SemaphoreAcquire implements LongSupplier {
        private final Semaphore semaphore = new Semaphore(1);
        private final int n;

        public SemaphoreAcquire(int n) {
            this.n = n;
        }

        @Override
        public long getAsLong() {
            long acquired = 0;
            try {
                for (int i = 0; i < n; i++) {
                    semaphore.acquire();
                    acquired++;
                    semaphore.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return acquired;
        }
    }
}
