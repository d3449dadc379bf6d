package dev.killswitch.control;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.runtime.delivery.KillOutcomes;
import dev.killswitch.runtime.delivery.KillRuntime;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
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

    private ThreadPoolExecutor writer;
    private System.Logger logger;

    private KillLog() {
    }

    public static void install() {
        KillRuntime.reportOutcomesTo(new KillLog());
    }

    @Override
    public void settled(KillHandle kill, String requester) {
        writer().execute(new Line(this, kill, requester));
    }

    private synchronized ThreadPoolExecutor writer() {
        if (writer == null) {
            writer = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), new Daemon(),
                    new ThreadPoolExecutor.DiscardPolicy()); // a flood of kills loses lines beyond 10,000, never delays a kill
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new Drain(writer), "killswitch-log-drain"));
            } catch (IllegalStateException | SecurityException e) {
                // shutting down already: what is queued may be lost with the JVM
            }
        }
        return writer;
    }

    /**
     * At exit, the lines of the last kills still appear: a batch job often ends right after one. The logging framework
     * may be shutting down too (java.util.logging's own hook closes its handlers), so lines not yet handed to it go to
     * the standard error stream instead, as the agent's other messages do.
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

    private static final class Daemon implements ThreadFactory {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "killswitch-log");
            t.setDaemon(true);
            return t;
        }
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
                    logger.log(level, KillLog.text(kill, requester));
                }
            } catch (RuntimeException | LinkageError e) {
                // the application's logging failed: the kill has happened all the same, and the counters have it
            }
        }
    }
}
