package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A recording of a JVM with the agent holds one {@code dev.killswitch.Kill} event per kill request, as JDK Mission Control reads it. */
class FlightRecorderTest {
    @TempDir
    Path dir;

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void eachKillIsAnEventOfTheRecording(Jdk jdk) throws Exception {
        Path recording = dir.resolve("kills-" + jdk.feature() + ".jfr");
        long[] victim = new long[1];
        try (ChildJvm target = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .jvmArgs("-XX:StartFlightRecording:dumponexit=true,filename=" + recording)
                .classPath(Paths.fixtures("java17")).main(ControlTarget.class).start()) {
            target.awaitEvent("READY");
            String pid = Long.toString(target.pid());
            victim[0] = target.ask("START victim com.acme.control.Runaways spin", "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", pid, Long.toString(victim[0]), "--reason", "recorded runaway");
            assertEquals(0, kill.exit, kill.toString());
            Cli.Result threads = Cli.run(jdk, "threads", pid);
            String system = threads.out.lines().filter(l -> l.contains("Reference Handler")).map(l -> l.trim().split("\\s+")[0])
                    .findFirst().orElseThrow(() -> new AssertionError(threads.toString()));
            Cli.Result refused = Cli.run(jdk, "kill", pid, system);
            assertEquals(6, refused.exit, refused.toString());
            target.send("EXIT");
            assertEquals(0, target.awaitExit(Duration.ofSeconds(60)), target.describe());
        }
        List<RecordedEvent> kills = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("dev.killswitch.Kill")).collect(Collectors.toList());
        assertEquals(2, kills.size(), kills.toString());
        RecordedEvent k = kills.stream().filter(e -> e.getString("outcome").equals("DELIVERED")).findFirst()
                .orElseThrow(() -> new AssertionError(kills.toString()));
        assertEquals("victim", k.getString("threadName"), k.toString());
        assertEquals(victim[0], k.getLong("threadId"), k.toString());
        assertEquals("recorded runaway", k.getString("reason"), k.toString());
        assertEquals("DELIVERED", k.getString("outcome"), k.toString());
        assertTrue(k.getString("landedAt").startsWith("com.acme.control.Runaways.spin("), k.toString());
        assertTrue(k.getDuration("latency").toNanos() > 0, k.toString());
        assertTrue(k.getString("requester").endsWith("\"killswitch-command\""), k.toString());
        assertEquals("killswitch", k.getEventType().getCategoryNames().get(0), k.toString());
        RecordedEvent refusal = kills.stream().filter(e -> e.getString("outcome").equals("SYSTEM_THREAD")).findFirst()
                .orElseThrow(() -> new AssertionError(kills.toString()));
        assertEquals("Reference Handler", refusal.getString("threadName"), refusal.toString());
        assertEquals(0, refusal.getDuration("latency").toNanos(), refusal.toString());
    }
}
