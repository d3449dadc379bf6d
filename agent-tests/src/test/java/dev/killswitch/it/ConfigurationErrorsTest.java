package dev.killswitch.it;

import dev.killswitch.it.child.PlainApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad configuration, from each source: one clear message naming the problem, nothing instrumented,
 * and the application starts, computes, and exits normally; kills are refused with the reason.
 */
class ConfigurationErrorsTest {

    /** How the bad value reaches the agent. */
    enum Source { AGENT_ARGUMENT, SYSTEM_PROPERTY, ENVIRONMENT }

    static Stream<Arguments> cases() {
        List<Object[]> bad = List.of(
                new Object[] {Source.AGENT_ARGUMENT, "inclde=com.acme.**", "unknown key \"inclde\" in agent argument (did you mean include?)"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com.acme.**;color=red", "unknown key \"color\" in agent argument"},
                new Object[] {Source.AGENT_ARGUMENT, "include", "cannot parse agent argument \"include\": expected key=value"},
                new Object[] {Source.AGENT_ARGUMENT, "include=", "include is empty (agent argument)"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com..acme.**", "class pattern \"com..acme.**\" has an empty name segment"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com.acme.**,,org.x.*", "has an empty pattern between commas"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com/acme/**", "contains '/': write package names with dots"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com.acme.**;debug=maybe", "debug must be true or false, not \"maybe\""},
                new Object[] {Source.AGENT_ARGUMENT, "on-demand=none", "no classes selected: with on-demand=none, give include=<patterns>"},
                new Object[] {Source.AGENT_ARGUMENT, "include-jdk=java.util.concurrent",
                        "include-jdk \"java.util.concurrent\" (agent argument) is not a JDK package where a kill is safe"},
                new Object[] {Source.SYSTEM_PROPERTY, "killswitch.include=com.acme.a**", "include (system property killswitch.include): class pattern \"com.acme.a**\": \"**\" must be a whole segment"},
                new Object[] {Source.SYSTEM_PROPERTY, "killswitch.depth=3", "unknown key \"depth\" in system property killswitch.depth"},
                new Object[] {Source.ENVIRONMENT, "KILLSWITCH_INCLUDE=", "include is empty (environment variable KILLSWITCH_INCLUDE)"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com.acme\t.**",
                        "class pattern \"com.acme\\u0009.**\" contains the invisible character U+0009, which cannot appear in a class name"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com.acme.**;deadline=com.acme.Job.run:999999999h",
                        "\"999999999h\" is longer than ten years, the longest duration accepted"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com.acme.**;interrupt-kills=on", "interrupt-kills must be true or false, not \"on\""},
                new Object[] {Source.AGENT_ARGUMENT, "include=com.acme.**;deadline=com.acme.Job.run:30",
                        "deadline \"com.acme.Job.run:30\" (agent argument): \"30\" is not a duration; write a number and a unit"},
                new Object[] {Source.AGENT_ARGUMENT, "include=com.acme.**;stop-shim=yes", "stop-shim must be true or false, not \"yes\" (agent argument)"});
        return TestJdks.all().stream().flatMap(jdk -> bad.stream().map(c -> Arguments.of(jdk, c[0], c[1], c[2])));
    }

    @ParameterizedTest(name = "{0}: {1} [{2}]")
    @MethodSource("cases")
    void badConfigurationDisablesTheAgentAndTheApplicationRunsUnchanged(Jdk jdk, Source source, String value, String expected) {
        ChildJvm.Builder builder = ChildJvm.with(jdk.require()).classPath(Paths.fixtures("java17")).main(PlainApp.class);
        switch (source) {
            case AGENT_ARGUMENT:
                builder.agentArgs(value);
                break;
            case SYSTEM_PROPERTY:
                builder.agentArgs("debug=true").jvmArgs("-D" + value);
                break;
            default:
                int eq = value.indexOf('=');
                builder.agentArgs("debug=true").env(value.substring(0, eq), value.substring(eq + 1));
        }
        try (ChildJvm child = builder.start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            assertTrue(child.stdout().contains("@@ APP DONE"), child.describe());
            assertTrue(child.stdout().stream().anyMatch(l -> l.startsWith("@@ COMPUTED\tresult=")), child.describe());
            ChildJvm.Line kill = child.event("KILL");
            assertEquals("AGENT_INACTIVE", kill.get("status"), child.describe());
            assertTrue(kill.get("describe").contains("refused: the killswitch agent is disabled: "), kill.toString());
            assertTrue(kill.get("describe").contains(expected), kill.toString());

            List<String> agentLines = child.agentLines();
            assertEquals(1, agentLines.size(), "exactly one message:\n" + child.describe());
            assertTrue(agentLines.get(0).startsWith("killswitch: configuration error: "), agentLines.get(0));
            assertTrue(agentLines.get(0).contains(expected), agentLines.get(0));
            assertTrue(agentLines.get(0).endsWith("The agent is disabled and instruments nothing; the application runs unchanged."),
                    agentLines.get(0));
        }
    }
}
