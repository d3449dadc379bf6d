package com.acme.flink;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where the driver's jobs run: a MiniCluster in this JVM, or a session cluster reached through its REST address. */
interface JobCluster {
    StreamExecutionEnvironment environment();

    JobClient submit(StreamExecutionEnvironment env, String name) throws Exception;

    /** {@code taskManagers=N\tslots=N\tfreeSlots=N}, and for a session cluster {@code \tids=ID,...} of its TaskManagers. */
    String overview() throws Exception;

    /** Shuts the cluster down if this JVM runs it; says whether it ended within the bound. */
    boolean close(long boundMs) throws Exception;
}
