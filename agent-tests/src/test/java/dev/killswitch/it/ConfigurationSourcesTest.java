package dev.killswitch.it;

import dev.killswitch.it.child.PlainApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each configuration source works on its own, and agent arguments beat system properties, which beat the environment. */
class ConfigurationSourcesTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void agentArgumentsWin(Jdk jdk) {
        assertActive(ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                        .jvmArgs("-Dkillswitch.include=org.none.**").env("KILLSWITCH_INCLUDE", "org.other.**"),
                "killswitch: active, include=com.acme.** (agent argument), exclude=none");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void systemPropertiesBeatTheEnvironment(Jdk jdk) {
        assertActive(ChildJvm.with(jdk.require()).jvmArgs("-Dkillswitch.include=com.acme.**", "-Dkillswitch.exclude=com.acme.waits.*")
                        .env("KILLSWITCH_INCLUDE", "org.none.**"),
                "killswitch: active, include=com.acme.** (system property killswitch.include),"
                        + " exclude=com.acme.waits.* (system property killswitch.exclude)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theEnvironmentAlone(Jdk jdk) {
        assertActive(ChildJvm.with(jdk.require()).env("KILLSWITCH_INCLUDE", "com.acme.**"),
                "killswitch: active, include=com.acme.** (environment variable KILLSWITCH_INCLUDE), exclude=none");
    }

    /** The environment is everyone's: a variable that merely starts like the agent's keys changes nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void otherVariablesOfTheEnvironmentAreLeftAlone(Jdk jdk) {
        assertActive(ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**").env("KILLSWITCH_HOME", "/opt/killswitch"),
                "killswitch: active, include=com.acme.** (agent argument), exclude=none");
    }

    private static void assertActive(ChildJvm.Builder builder, String expectedStartLine) {
        try (ChildJvm child = builder.classPath(Paths.fixtures("java17")).main(PlainApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            assertEquals("DELIVERED", child.event("KILL").get("status"), child.describe());
            // The kill's own line goes to standard error, not to the log, when the JVM exits before the agent's log
            // thread has handed it over (KillLog): the child ends right after its kill. It is not a start-up line.
            List<String> lines = child.agentLines().stream().filter(l -> !l.startsWith("killswitch: kill of "))
                    .collect(Collectors.toList());
            assertEquals(1, lines.size(), child.describe());
            assertTrue(lines.get(0).startsWith(expectedStartLine), lines.get(0));
        }
    }
}
