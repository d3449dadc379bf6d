package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent beside the tools operators run it with, from Maven Central and run for real in the target JVM: the
 * Prometheus JMX exporter with the rules shipped in the agent jar, and Jolokia's JVM agent (JMX as JSON over HTTP).
 */
class EcosystemToolsTest {
    private static final String RULES = "META-INF/killswitch/prometheus.yml";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void thePrometheusExporterWithTheShippedRulesServesTypedMetricsThatMoveAfterAKill(Jdk jdk) throws Exception {
        Path rules = dir.resolve("killswitch-prometheus.yml");
        try (JarFile jar = new JarFile(Paths.agentJar().toFile()); InputStream in = jar.getInputStream(jar.getJarEntry(RULES))) {
            Files.copy(in, rules);
        }
        int port = freePort();
        try (ChildJvm target = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .jvmArgs("-javaagent:" + Paths.tool("jmx_prometheus_javaagent.jar") + "=127.0.0.1:" + port + ":" + rules)
                .classPath(Paths.fixtures("java17")).main(ControlTarget.class).start()) {
            target.awaitEvent("READY");
            String url = "http://127.0.0.1:" + port + "/metrics";
            String before = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(url), m -> m.contains("killswitch_kills_delivered_total"));
            assertTrue(before.contains("# TYPE killswitch_kills_delivered_total counter")
                    || before.contains("# TYPE killswitch_kills_delivered counter"), before);
            assertEquals(0.0, value(before, "killswitch_kills_delivered_total", ""), before);
            assertEquals(1.0, value(before, "killswitch_active", ""), before);
            Double p50 = valueOrNull(before, "killswitch_delivery_latency_seconds", "{quantile=\"0.5\"}");
            assertTrue(p50 == null || p50.isNaN(), "no latency before a kill, rather than 0: " + p50);

            long victim = target.ask("START victim com.acme.control.Runaways spin", "STARTED").number("id");
            assertEquals(0, Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(victim)).exit);
            String after = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(url), m -> Double.valueOf(1.0).equals(valueOrNull(m, "killswitch_kills_delivered_total", "")));
            assertEquals(1.0, value(after, "killswitch_kills_requested_total", ""), after);
            assertTrue(value(after, "killswitch_kill_points", "{kind=\"method_entry\"}") > 0, after); // the victim's class
            double seconds = value(after, "killswitch_delivery_latency_seconds", "{quantile=\"0.5\"}");
            assertTrue(seconds > 0 && seconds < 10, "the latency, in seconds: " + seconds);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void jolokiaKillsByIdAndByNameReadsStructuredAnswersAndSeesBadArgumentsAsErrors(Jdk jdk) {
        int port = freePort();
        try (ChildJvm target = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .jvmArgs("-javaagent:" + Paths.tool("jolokia-agent.jar") + "=host=127.0.0.1,port=" + port + ",discoveryEnabled=false")
                .classPath(Paths.fixtures("java17")).main(ControlTarget.class).start()) {
            target.awaitEvent("READY");
            String url = "http://127.0.0.1:" + port + "/jolokia/";
            long victim = target.ask("START victim com.acme.control.Runaways spin", "STARTED").number("id");
            target.ask("START batch-1 com.acme.shapes.Shapes whileLoop", "STARTED");

            String list = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> post(url,
                    "{\"type\":\"list\",\"path\":\"dev.killswitch/type=Killswitch\"}"), r -> r.contains("\"status\":200"));
            assertTrue(list.contains("\"name\":\"threadId\"") && list.contains("\"name\":\"reason\""), list);
            assertTrue(list.contains("\"name\":\"nameRegex\""), list);
            assertTrue(list.contains("Kills the platform or virtual thread with this id"), list);

            String killed = post(url, exec("kill", victim + ",\"over budget\""));
            assertTrue(killed.contains("\"status\":200"), killed);
            assertTrue(killed.contains("\"threadName\":\"victim\"") && killed.contains("\"reason\":\"over budget\""), killed);
            assertTrue(killed.matches("(?s).*\"status\":\"(DELIVERED|PENDING)\".*"), killed);
            assertEquals("victim", target.awaitEvent("DIED").get("name"));

            String byName = post(url, exec("killByName", "\"batch-.*\",\"by name\""));
            assertTrue(byName.contains("\"status\":200") && byName.contains("\"value\":[{"), byName);
            assertTrue(byName.contains("\"threadName\":\"batch-1\""), byName);
            assertEquals("batch-1", target.awaitEvent("DIED").get("name"));

            String noThread = post(url, exec("kill", "987654321,\"why\""));
            assertTrue(!noThread.contains("\"status\":200") && noThread.contains("java.lang.IllegalArgumentException"), noThread);
            assertTrue(noThread.contains("no live thread with id 987654321"), noThread);
            String badPattern = post(url, exec("killByName", "\"(\",\"why\""));
            assertTrue(!badPattern.contains("\"status\":200") && badPattern.contains("not a regular expression"), badPattern);
        }
    }

    private static String exec(String operation, String arguments) {
        return "{\"type\":\"exec\",\"mbean\":\"dev.killswitch:type=Killswitch\",\"operation\":\"" + operation
                + "\",\"arguments\":[" + arguments + "]}";
    }

    private static double value(String metrics, String name, String labels) {
        Double v = valueOrNull(metrics, name, labels);
        if (v == null) {
            throw new AssertionError("no " + name + labels + " in:\n" + metrics);
        }
        return v;
    }

    /** The value of a sample in Prometheus' text format, or null if there is none. */
    private static Double valueOrNull(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + labels) + " (\\S+)").matcher(metrics);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    private static String get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private static String post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "(not answering yet: " + e + ")"; // the tool's server starts with the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
