package dev.killswitch.runtime.delivery;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The looks at another thread's stack, on the JDK the tests run on: where a look may be cut, and when it is whole. */
class StackSamplesTest {
    @Test
    void theLimitIsWhereTheJvmCutsStackTraces() {
        // This JVM runs with the default MaxJavaStackTraceDepth, 1,024; before JDK 19 Thread.getStackTrace is not cut.
        boolean cuts = Runtime.version().feature() >= 19;
        int first = StackSamples.limit(); // a bound past a head, found cheaply, or the cut itself if prepared already
        assertTrue(cuts ? first > StackSamples.HEAD && first <= 1024 : first == 0, "first bound " + first);
        StackSamples.prepare();
        assertEquals(cuts ? 1024 : 0, StackSamples.limit(), "once the deliverer has been idle");
    }

    @Test
    void anEmptyStackIsNotTheTopOfADeeperOne() {
        // A thread starting or ending: nothing to look further into (and no top frame to arm).
        assertFalse(StackSamples.partial(new StackTraceElement[0]));
    }

    @Test
    void aShallowStackIsWholeAtTheFirstLookAndADeepOneIsReadWhole() throws InterruptedException {
        Deep shallow = Deep.start(10);
        Deep deep = Deep.start(3000);
        try {
            StackTraceElement[] head = StackSamples.head(shallow.thread);
            assertFalse(StackSamples.partial(head), head.length + " frames");
            assertTrue(head.length >= 10 && head.length < StackSamples.HEAD, head.length + " frames");
            StackTraceElement[] top = StackSamples.head(deep.thread);
            assertTrue(StackSamples.partial(top), top.length + " frames");
            assertTrue(StackSamples.whole(deep.thread).length > 3000, "the whole of a stack deeper than any cut");
        } finally {
            shallow.release.countDown();
            deep.release.countDown();
            shallow.thread.join();
            deep.thread.join();
        }
    }

    /** A thread that waits {@code depth} calls deep until released. */
    private static final class Deep {
        final CountDownLatch there = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread;

        private Deep(int depth) {
            thread = new Thread(null, () -> down(depth), "deep-" + depth, 16L << 20);
        }

        static Deep start(int depth) throws InterruptedException {
            Deep d = new Deep(depth);
            d.thread.start();
            assertTrue(d.there.await(10, TimeUnit.SECONDS));
            return d;
        }

        private void down(int depth) {
            if (depth > 0) {
                down(depth - 1);
                return;
            }
            there.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
