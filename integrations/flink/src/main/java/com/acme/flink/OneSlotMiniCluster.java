package com.acme.flink;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.messages.webmonitor.ClusterOverview;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A MiniCluster in this JVM with one TaskManager and one slot, kept for all the jobs (a local environment would
 * start a new cluster per job). The cancellation watchdog is set to 5 s (Flink's default is 180 s).
 */
final class OneSlotMiniCluster implements JobCluster {
    private final MiniCluster cluster;

    private OneSlotMiniCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    static OneSlotMiniCluster start() throws Exception {
        Configuration config = new Configuration();
        config.set(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT, Duration.ofSeconds(5));
        config.set(TaskManagerOptions.TASK_CANCELLATION_INTERVAL, Duration.ofSeconds(1));
        config.set(RestOptions.BIND_PORT, "0"); // other JVMs on the machine may hold 8081
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(config)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).withRandomPorts().build());
        cluster.start();
        return new OneSlotMiniCluster(cluster);
    }

    @Override
    public StreamExecutionEnvironment environment() {
        return StreamExecutionEnvironment.getExecutionEnvironment(); // only to build the graph
    }

    @Override
    public JobClient submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        graph.setJobId(new JobID()); // a client's executor sets it; submitting to the MiniCluster directly, we do
        return new MiniClusterJobClient(cluster.submitJob(graph).get(30, TimeUnit.SECONDS).getJobID(), cluster,
                OneSlotMiniCluster.class.getClassLoader(), MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
    }

    @Override
    public String overview() throws Exception {
        ClusterOverview o = cluster.requestClusterOverview().get(30, TimeUnit.SECONDS);
        return "taskManagers=" + o.getNumTaskManagersConnected() + "\tslots=" + o.getNumSlotsTotal()
                + "\tfreeSlots=" + o.getNumSlotsAvailable();
    }

    @Override
    public boolean close(long boundMs) throws Exception {
        try {
            cluster.closeAsync().get(boundMs, TimeUnit.MILLISECONDS); // waits for its tasks' threads to end
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }
}
