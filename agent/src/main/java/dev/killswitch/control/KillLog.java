package dev.killswitch.control;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.runtime.delivery.KillOutcomes;
import dev.killswitch.runtime.delivery.KillRuntime;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One line per kill through the JDK's {@link System.Logger}, named {@code dev.killswitch}, so that it reaches
 * whatever logging the application has bound to it (java.util.logging by default; Log4j, Logback and others through
 * their System.Logger bridges). A kill that landed is a {@code WARNING}, as a thread the program lost; one that was
 * refused, cancelled or ended undelivered is {@code INFO}. {@code log-kills=false} turns it off.
 *
 * <p>The logger is looked up at the first kill, not at start-up: looking it up loads the application's logging
 * binding, which must not happen before the application configured it. Lines are written on a thread of their own,
 * since the thread that settles kills must never wait for a log appender.
 */
public final class KillLog implements KillOutcomes {
    /** The logger's name: what users configure levels and appenders for. */
    public static final String LOGGER = "dev.killswitch";

    private final ThreadPoolExecutor writer;
    private System.Logger logger;

    private KillLog() {
        // Made here, at start-up, on the agent's thread: not on the first kill's thread, whose class loader and
        // inheritable thread-locals (a web application's, say) the writer and the exit hook would otherwise keep.
        writer = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), new DaemonThreads("killswitch-log"),
                new ToStandardError()); // a flood of kills beyond 10,000 queued lines, or a kill during exit: standard error
        try {
            Runtime.getRuntime().addShutdownHook(new DaemonThreads("killswitch-log-drain").newThread(new Drain(writer)));
        } catch (IllegalStateException | SecurityException e) {
            // shutting down already: what is queued may be lost with the JVM
        }
    }

    public static void install() {
        KillRuntime.reportOutcomesTo(new KillLog());
    }

    @Override
    public void settled(KillHandle kill, String requester) {
        writer.execute(new Line(this, kill, requester));
    }

    /** A line the writer does not take (it is full, or the JVM is exiting) goes to standard error, as the agent's other messages do. */
    private static final class ToStandardError implements java.util.concurrent.RejectedExecutionHandler {
        @Override
        public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
            if (r instanceof Line) {
                System.err.println(((Line) r).text());
            }
        }
    }

    /**
     * At exit, the lines of the last kills still appear: a batch job often ends right after one. The logging framework
     * may be shutting down too (java.util.logging's own hook closes its handlers), so lines not yet handed to it go to
     * the standard error stream instead, as the agent's other messages do; so does a line of a kill settled after this.
     */
    private static final class Drain implements Runnable {
        private final ThreadPoolExecutor writer;

        Drain(ThreadPoolExecutor writer) {
            this.writer = writer;
        }

        @Override
        public void run() {
            writer.shutdown();
            java.util.List<Runnable> pending = new java.util.ArrayList<>();
            writer.getQueue().drainTo(pending);
            for (Runnable r : pending) {
                if (r instanceof Line) {
                    System.err.println(((Line) r).text());
                }
            }
            try {
                writer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** On the writer thread only. */
    private System.Logger logger() {
        if (logger == null) {
            logger = System.getLogger(LOGGER);
        }
        return logger;
    }

    /** The line for one kill: what the kill's own description says, and who asked. */
    static String text(KillHandle kill, String requester) {
        return "killswitch: " + kill.describe() + " (asked by " + requester + ", reason: " + kill.reason() + ")";
    }

    /** One kill, written. */
    private static final class Line implements Runnable {
        private final KillLog log;
        private final KillHandle kill;
        private final String requester;

        Line(KillLog log, KillHandle kill, String requester) {
            this.log = log;
            this.kill = kill;
            this.requester = requester;
        }

        String text() {
            return KillLog.text(kill, requester);
        }

        @Override
        public void run() {
            try {
                System.Logger.Level level = kill.status() == KillStatus.DELIVERED ? System.Logger.Level.WARNING : System.Logger.Level.INFO;
                System.Logger logger = log.logger();
                if (logger.isLoggable(level)) {
                    logger.log(level, text());
                }
            } catch (RuntimeException | LinkageError e) {
                // the application's logging failed: the kill has happened all the same, and the counters have it
            }
        }
    }
}
