package com.acme.flink;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session cluster (JobManager and TaskManagers in their own JVMs), reached as a user's client does: by REST, with the
 * job's jar, which the cluster loads through its own user-code class loader.
 */
final class RemoteSessionCluster implements JobCluster {
    private final String host;
    private final int port;
    private final String[] jobJars;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RemoteSessionCluster(String hostAndPort, String... jobJars) {
        this.jobJars = jobJars;
        this.host = hostAndPort.substring(0, hostAndPort.lastIndexOf(':'));
        this.port = Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    /** Waits for the JobManager's REST endpoint, which may still be starting. */
    RemoteSessionCluster awaitReachable(Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            try {
                overview();
                return this;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public StreamExecutionEnvironment environment() {
        return StreamExecutionEnvironment.createRemoteEnvironment(host, port, jobJars); // shipped as `flink run` does
    }

    @Override
    public JobClient submit(StreamExecutionEnvironment env, String name) throws Exception {
        return env.executeAsync(name);
    }

    @Override
    public String overview() throws Exception {
        String json = get("/overview");
        StringBuilder ids = new StringBuilder();
        for (Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(get("/taskmanagers")); m.find(); ) {
            ids.append(ids.length() == 0 ? "" : ",").append(m.group(1));
        }
        return "taskManagers=" + field(json, "taskmanagers") + "\tslots=" + field(json, "slots-total")
                + "\tfreeSlots=" + field(json, "slots-available") + "\tids=" + ids;
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\d+)").matcher(json);
        return m.find() ? m.group(1) : "unknown";
    }

    @Override
    public boolean close(long boundMs) {
        return true; // the cluster is not this JVM's to shut down
    }
}
