package dev.killswitch.it;

import dev.killswitch.it.child.PlainApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.example.tamper.TamperingApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only the agent changes the agent's state. The runtime is public on the bootstrap path, so any
 * application class can call its methods; the ones that switch the agent on or off, configure
 * retrofits or register instrumented code refuse every caller but the agent.
 */
class AgentStateTest {
    private static final List<String> SWITCHES = List.of("disable", "activate", "interruptKills", "deadlines", "cleanupRegions",
            "instrumentedClasses", "disableThroughTheJdk", "enableThroughAThread", "start", "interruptDecider", "waitCloser",
            "armedTargets", "outcomes");

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anApplicationCannotSwitchTheAgentOffOrRegisterAnything(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .classPath(Paths.fixtures("java17")).main(TamperingApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            ChildJvm.Line tries = child.event("TAMPERED");
            for (String s : SWITCHES) {
                assertEquals("REFUSED", tries.get(s), s + ": " + tries);
            }
            assertEquals("org.example.tamper.TamperingApp may not switch the killswitch agent off: only the killswitch"
                    + " agent may; applications use dev.killswitch.Killswitch", tries.get("message"));
            assertEquals("true", tries.get("activeAfter"), tries.toString());
            assertEquals("DELIVERED", child.event("KILL").get("status"), child.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheAgentAnApplicationCannotSwitchTheRuntimeOn(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).withoutAgent()
                .classPath(Paths.fixtures("java17")).main(TamperingApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            ChildJvm.Line tries = child.event("TAMPERED");
            assertEquals("REFUSED", tries.get("activate"), tries.toString());
            assertEquals("false", tries.get("activeAfter"), tries.toString());
            // Not a handle that stays PENDING for ever: the kill is refused, and says why.
            assertEquals("AGENT_INACTIVE", child.event("KILL").get("status"), child.describe());
        }
    }

    /** A second load of the agent is ignored, and takes nothing from the first: classes loaded later still get kill points. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aSecondLoadOfTheAgentLeavesTheFirstInCharge(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .jvmArgs("-javaagent:" + Paths.agentJar() + "=include=com.acme.**")
                .classPath(Paths.fixtures("java17")).main(PlainApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            assertTrue(child.agentLines().contains("killswitch: already active in this JVM; the second load of the agent is ignored"),
                    child.describe());
            assertEquals("DELIVERED", child.event("KILL").get("status"), child.describe());
            assertFalse(String.join("\n", child.stderr()).contains("loaded unchanged"), child.describe());
        }
    }
}
