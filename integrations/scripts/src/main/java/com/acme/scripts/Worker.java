package com.acme.scripts;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

/**
 * The thread that runs one engine's scripts, one after another, as an application's script runner does. Its
 * {@code catch (Throwable)} is the host's call site: it is not selected code, so the kill ends there and the
 * thread takes the next script.
 */
final class Worker {
    private final Engine engine;
    private final Host host = new Host();
    private final BlockingQueue<Run> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    Worker(String name, Engine engine) {
        this.engine = engine;
        this.thread = new Thread(this::loop, "script-worker-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a script; the returned run says when it has ended and how. */
    Run submit(String name, String source) {
        Run run = new Run(name, source);
        queue.add(run);
        return run;
    }

    /** Runs a script and waits for its end (for short, correct scripts). */
    Run evaluate(String name, String source, long seconds) throws InterruptedException {
        Run run = submit(name, source);
        run.await(seconds);
        return run;
    }

    Thread thread() {
        return thread;
    }


    Engine engine() {
        return engine;
    }

    private void loop() {
        try {
            engine.open(host);
        } catch (Exception e) {
            throw new IllegalStateException("engine did not start", e);
        }
        while (true) {
            Run run;
            try {
                run = queue.take();
            } catch (InterruptedException e) {
                continue; // a stray interrupt between scripts: keep serving
            }
            host.begin(run);
            try {
                run.value = engine.eval(run.name, run.source);
            } catch (Throwable t) {
                run.error = t;
            } finally {
                run.endNanos = System.nanoTime();
                Thread.interrupted(); // a script's leftover interrupt must not reach the next one
                run.done.countDown();
            }
        }
    }

    /** One script's run. */
    static final class Run {
        final String name;
        final String source;
        final CountDownLatch done = new CountDownLatch(1);
        final CountDownLatch running = new CountDownLatch(1);
        final AtomicInteger caught = new AtomicInteger();
        volatile boolean finallyRan;
        volatile Object value;
        volatile Throwable error;
        volatile long endNanos;

        Run(String name, String source) {
            this.name = name;
            this.source = source;
        }

        boolean await(long seconds) throws InterruptedException {
            return done.await(seconds, TimeUnit.SECONDS);
        }

        boolean ended() {
            return done.getCount() == 0;
        }
    }
}
