package dev.killswitch.it;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo, run as the README tells a newcomer to run it, kills its three runaways and exits 0. */
class DemoAppTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void killsEachRunawayAndExitsZero(Jdk jdk) {
        try (ChildJvm demo = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.legacy.**")
                .jar(Paths.demoJar()).start()) {
            assertEquals(0, demo.awaitExit(Duration.ofSeconds(60)), demo.describe());
            List<String> out = demo.stdout();
            for (String name : List.of("report-job", "parser", "retry-worker")) {
                assertTrue(out.stream().anyMatch(l -> l.matches("  " + name + " +killed in \\d+\\.\\d\\d ms at com\\.acme\\.legacy\\..+")),
                        name + " killed:\n" + demo.describe());
            }
            assertEquals(3, out.stream().filter(l -> l.contains("died of ThreadKilledError; cleanup:") && l.endsWith(": yes")).count(),
                    demo.describe());
            assertTrue(out.contains("  every runaway thread is dead, its cleanup ran, and the JVM carries on. exit 0"), demo.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheAgentItSaysHowToStartIt(Jdk jdk) {
        try (ChildJvm demo = ChildJvm.with(jdk.require()).withoutAgent().jar(Paths.demoJar()).start()) {
            assertEquals(2, demo.awaitExit(Duration.ofSeconds(60)), demo.describe());
            assertTrue(demo.stdout().stream().anyMatch(l -> l.contains("-javaagent:agent/target/killswitch-agent.jar=include=com.acme.legacy.**")),
                    demo.describe());
        }
    }
}
