package com.acme.flink;

import com.acme.flink.jobs.DoublingSumMap;
import com.acme.flink.jobs.LockWaitingMap;
import com.acme.flink.jobs.PollingLegacySource;
import com.acme.flink.jobs.Report;
import com.acme.flink.jobs.SocketReadingMap;
import com.acme.flink.jobs.SpinningMap;
import com.acme.flink.jobs.SwallowingSleepMap;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Submits Flink jobs one at a time, on commands read from stdin, to a one-slot MiniCluster in this JVM or, given
 * {@code remote HOST:PORT JAR...}, to a session cluster's REST address with the job's jars:
 * <ul>
 * <li>{@code run SHAPE}: a job whose user function gets stuck (spin, sleep, lock, socket, legacy-source; on a remote
 * cluster only spin, sleep and legacy-source, which need nothing from this JVM);
 * <li>{@code cancel SHAPE MS}: {@link JobClient#cancel()}, then each job status seen until a terminal one, or MS ms;
 * <li>{@code check MS}: a small correct job, in the slot the stuck job had, and its result;
 * <li>{@code thread SHAPE}: whether the thread stuck in that shape is still alive, and where (MiniCluster only);
 * <li>{@code cluster}: how many TaskManagers and free slots the cluster has;
 * <li>{@code exit MS}: shuts a MiniCluster down (says whether it ended within MS ms) and ends the JVM.
 * </ul>
 */
public final class StuckJobsDriver {
    private final JobCluster cluster;
    private final int silentPort;
    private JobClient stuckJob;

    private StuckJobsDriver(JobCluster cluster, int silentPort) {
        this.cluster = cluster;
        this.silentPort = silentPort;
    }

    public static void main(String[] args) throws Exception {
        JobCluster cluster = args.length >= 2 && args[0].equals("remote")
                ? new RemoteSessionCluster(args[1], Arrays.copyOfRange(args, 2, args.length)).awaitReachable(Duration.ofSeconds(60))
                : OneSlotMiniCluster.start();
        holdSharedLockForEver();
        StuckJobsDriver driver = new StuckJobsDriver(cluster, startSilentServer());
        Report.line("READY\t" + cluster.overview());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "run" -> driver.run(words[1]);
                case "cancel" -> driver.cancel(words[1], Long.parseLong(words[2]));
                case "check" -> driver.check(Long.parseLong(words[1]));
                case "thread" -> thread(words[1]);
                case "cluster" -> Report.line("CLUSTER\t" + cluster.overview());
                case "exit" -> {
                    Report.line("BYE\tclosed=" + cluster.close(Long.parseLong(words[1])));
                    System.exit(0);
                }
                default -> Report.line("ERROR\tunknown command " + line);
            }
        }
        // stdin ended: whoever drove this JVM is gone. A stuck task's thread would keep it alive, so end it here.
        Runtime.getRuntime().halt(0);
    }

    private void run(String shape) throws Exception {
        StreamExecutionEnvironment env = cluster.environment();
        env.setParallelism(1);
        switch (shape) {
            case SpinningMap.SHAPE -> env.fromData(1L).map(new SpinningMap()).sinkTo(new DiscardingSink<>());
            case SwallowingSleepMap.SHAPE -> env.fromData(1L).map(new SwallowingSleepMap()).sinkTo(new DiscardingSink<>());
            case LockWaitingMap.SHAPE -> env.fromData(1L).map(new LockWaitingMap()).sinkTo(new DiscardingSink<>());
            case SocketReadingMap.SHAPE -> env.fromData(1L).map(new SocketReadingMap(silentPort)).sinkTo(new DiscardingSink<>());
            case PollingLegacySource.SHAPE -> env.addSource(new PollingLegacySource(), Types.STRING).sinkTo(new DiscardingSink<>());
            default -> throw new IllegalArgumentException("no shape " + shape);
        }
        stuckJob = cluster.submit(env, "stuck-" + shape);
        Report.line("SUBMITTED\tshape=" + shape + "\tjob=" + stuckJob.getJobID());
    }

    /** JobClient.cancel(), then the job's status as Flink reports it, polled, each change with its time. */
    private void cancel(String shape, long boundMs) throws Exception {
        long start = System.nanoTime();
        stuckJob.cancel().get(30, TimeUnit.SECONDS);
        JobStatus last = null;
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(boundMs);
        while (true) {
            JobStatus status = stuckJob.getJobStatus().get(30, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (status != last) {
                Report.line("STATUS\tshape=" + shape + "\tstatus=" + status + "\tms=" + ms);
                last = status;
            }
            if (status.isGloballyTerminalState() || System.nanoTime() > deadline) {
                Report.line("CANCEL\tshape=" + shape + "\tstatus=" + status + "\tms=" + ms
                        + "\tterminal=" + status.isGloballyTerminalState());
                return;
            }
            Thread.sleep(5);
        }
    }

    /** Doubles 1..100 and sums the results (10100) in an accumulator. */
    private void check(long boundMs) throws Exception {
        StreamExecutionEnvironment env = cluster.environment();
        env.setParallelism(1);
        env.fromData(IntStream.rangeClosed(1, 100).boxed().toList(), Types.INT).map(new DoublingSumMap())
                .sinkTo(new DiscardingSink<>());
        long start = System.nanoTime();
        JobClient job = cluster.submit(env, "check");
        try {
            long sum = job.getJobExecutionResult().get(boundMs, TimeUnit.MILLISECONDS)
                    .<Long>getAccumulatorResult(DoublingSumMap.SUM);
            Report.line("CHECK\tstatus=" + job.getJobStatus().get() + "\tsum=" + sum
                    + "\tms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (TimeoutException e) {
            Report.line("CHECK\tstatus=" + job.getJobStatus().get() + "\tsum=none\tms=" + boundMs);
            job.cancel();
        }
    }

    private static void thread(String shape) {
        Thread t = Report.threadOf(shape);
        StackTraceElement[] stack = t == null ? new StackTraceElement[0] : t.getStackTrace();
        Report.line("THREAD\tshape=" + shape + "\tname=" + (t == null ? "none" : t.getName())
                + "\talive=" + (t != null && t.isAlive()) + "\tstate=" + (t == null ? "none" : t.getState())
                + "\ttop=" + (stack.length == 0 ? "none" : stack[0]));
    }

    /** Another part of the application takes the lock that shape "lock" waits for, and never gives it back. */
    private static void holdSharedLockForEver() throws InterruptedException {
        Thread holder = new Thread(() -> {
            LockWaitingMap.SHARED.lock();
            while (true) {
                LockSupport.park();
            }
        }, "lock-holder");
        holder.setDaemon(true);
        holder.start();
        while (!LockWaitingMap.SHARED.isLocked()) {
            Thread.sleep(1);
        }
    }

    /** A service that accepts connections and never answers: shape "socket" reads from it. */
    private static int startSilentServer() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<Socket> open = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    open.add(server.accept()); // kept open, never written to
                }
            } catch (Exception e) {
                // the JVM is ending
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }
}
