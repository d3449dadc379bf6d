package com.acme.spark;

import com.acme.spark.jobs.DoublingJob;
import com.acme.spark.jobs.StuckStages;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A driver with a local Spark of ONE executor thread ({@code local[1]}), so that a job can run only once the thread
 * of the job before is free. The task reaper is on, polling every second and giving up after 5 s, so that it shows in
 * the log if it ever has to act. Reads commands on standard input:
 * <ul>
 *   <li>{@code run SHAPE}: runs the stuck stage of that shape in job group SHAPE, with interrupt-on-cancel, from a
 *   thread of its own (its {@code collect} blocks); prints {@code @@ JOB_END} when the job ends;</li>
 *   <li>{@code cancel SHAPE}: cancels job group SHAPE, as an operator or a scheduler would;</li>
 *   <li>{@code next}: runs a small correct job from a thread of its own; prints {@code @@ NEXT} with its result;</li>
 *   <li>{@code quit}: stops Spark ({@code @@ STOPPED}) and returns.</li>
 * </ul>
 * Times are from the cancel of the group. Prints {@code @@ READY} once Spark has started.
 */
public final class SparkJobRunner {
    /** When each job group was cancelled (System.nanoTime()). */
    static final Map<String, Long> CANCELLED_AT = new ConcurrentHashMap<>();

    private SparkJobRunner() {
    }

    public static void main(String[] args) throws Exception {
        SparkConf conf = new SparkConf()
                .setMaster("local[1]")
                .setAppName("stuck-jobs")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.log.structuredLogging.enabled", "false")
                .set("spark.task.reaper.enabled", "true")
                .set("spark.task.reaper.pollingInterval", "1s")
                .set("spark.task.reaper.killTimeout", "5s");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.sc().addSparkListener(new TaskEndReporter());
        report("READY\tspark=" + sc.version() + "\tjava=" + Runtime.version().feature());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "run" -> start("job-" + words[1], () -> runStuck(sc, words[1]));
                case "cancel" -> {
                    CANCELLED_AT.put(words[1], System.nanoTime());
                    sc.cancelJobGroup(words[1]);
                    report("CANCEL_SENT\tshape=" + words[1]);
                }
                case "next" -> start("job-next", () -> runNext(sc));
                case "quit" -> {
                    sc.stop();
                    report("STOPPED");
                    return;
                }
                default -> report("UNKNOWN\tcommand=" + line);
            }
        }
    }

    private static void runStuck(JavaSparkContext sc, String shape) {
        sc.setJobGroup(shape, "a stage that does not stop by itself", true); // interrupt the task's thread on cancel
        try {
            StuckStages.run(sc, shape);
            report("JOB_END\tshape=" + shape + "\tstatus=succeeded");
        } catch (Exception e) {
            report("JOB_END\tshape=" + shape + "\tstatus=failed\tms=" + sinceCancel(shape) + "\terror="
                    + oneLine(e.getClass().getName() + ": " + e.getMessage()));
        }
    }

    private static void runNext(JavaSparkContext sc) {
        long start = System.nanoTime();
        report("NEXT_SUBMITTED");
        try {
            int result = DoublingJob.run(sc);
            report("NEXT\tresult=" + result + "\tms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (Exception e) {
            report("NEXT\tresult=none\terror=" + oneLine(e.getClass().getName() + ": " + e.getMessage()));
        }
    }

    /** Milliseconds since the group was cancelled, or -1 if it was not. */
    static long sinceCancel(String group) {
        Long at = group == null ? null : CANCELLED_AT.get(group);
        return at == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at);
    }

    static String oneLine(String text) {
        String s = String.valueOf(text).replaceAll("\\s+", " ");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static synchronized void report(String event) {
        System.out.println("@@ " + event);
        System.out.flush();
    }

    private static void start(String name, Runnable job) {
        Thread t = new Thread(job, name);
        t.setDaemon(true);
        t.start();
    }
}
