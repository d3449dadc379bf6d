package dev.killswitch.integrations.tomcat;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tomcat (embedded, from Maven Central) with its StuckThreadDetectionValve set to interrupt a request stuck for 2 s,
 * as the README's recipe says: with {@code interrupt-kills=true} the valve's interrupt kills the spinning servlet, the
 * request ends with an error response, the connector thread serves the next request, and the valve's stuck count goes
 * back to zero. Without the agent the same request spins on.
 */
class TomcatStuckThreadTest {
    private static final String RECIPE = "include=com.acme.web.**;interrupt-kills=true";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    private static ChildJvm server(Jdk jdk, boolean agent) {
        ChildJvm.Builder b = ChildJvm.with(jdk.require()).jvmArgs("-Duser.language=en", "-Duser.country=US") // log texts
                .classPath(Paths.engineClassPath())
                .main("com.acme.web.StuckServer");
        ChildJvm server = (agent ? b.agentArgs(RECIPE) : b.withoutAgent()).start();
        server.awaitEvent("READY", Duration.ofSeconds(60));
        return server;
    }

    private static URI uri(ChildJvm server, String path) {
        return URI.create("http://127.0.0.1:" + server.event("READY").get("port") + path);
    }

    private static HttpResponse<String> get(ChildJvm server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theValvesInterruptKillsTheStuckRequestAndTheThreadServesTheNext(Jdk jdk) throws Exception {
        try (ChildJvm server = server(jdk, true)) {
            long start = System.nanoTime();
            HttpResponse<String> stuck = get(server, "/spin");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(500, stuck.statusCode(), stuck.body() + server.describe());
            assertTrue(ms >= 2000 && ms < 10_000, "ended by the valve's interrupt (after 2 s), not otherwise: " + ms + " ms");
            server.awaitStderr(l -> l.contains("StuckThreadDetectionValve") && l.contains("has been interrupted"));
            String thread = server.awaitEvent("SPINNING").get("thread");
            assertEquals(thread, server.awaitEvent("FINALLY").get("thread"), server.describe());
            HttpResponse<String> next = get(server, "/hello");
            assertEquals(200, next.statusCode(), next.body());
            assertEquals("hello from " + thread, next.body(), "the connector's only thread serves the next request");
            server.until("the valve's stuck count back at 0", Duration.ofSeconds(20),
                    () -> get(server, "/stuck").body().trim().equals("0"));
            assertTrue(server.awaitStderr(l -> l.startsWith("WARNING: killswitch: kill of thread ") && l.contains("delivered"))
                    .contains("interrupted by"), server.describe());
            System.out.println("tomcat: " + jdk + ": a request spinning in a servlet ended with 500 after " + ms
                    + " ms (valve: stuck after 1 s, interrupt after 2 s)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheAgentTheStuckRequestSpinsOn(Jdk jdk) throws Exception {
        try (ChildJvm server = server(jdk, false)) {
            CompletableFuture<HttpResponse<String>> stuck = HTTP.sendAsync(HttpRequest.newBuilder(uri(server, "/spin"))
                    .timeout(Duration.ofSeconds(8)).build(), HttpResponse.BodyHandlers.ofString());
            server.awaitEvent("SPINNING");
            try {
                HttpResponse<String> r = stuck.get(20, TimeUnit.SECONDS);
                throw new AssertionError("the stuck request ended without the agent: " + r.statusCode());
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof HttpTimeoutException, e.toString());
            } catch (TimeoutException e) {
                throw new AssertionError("the client's own timeout did not fire", e);
            }
            server.awaitStderr(l -> l.contains("StuckThreadDetectionValve") && l.contains("has been interrupted"));
            assertTrue(server.events("FINALLY").isEmpty(), "the valve interrupted it, and it spins on: " + server.describe());
            System.out.println("tomcat: " + jdk + ": without the agent, the request still spins after 8 s, interrupted at 2 s");
        }
    }
}
