package dev.killswitch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys interrupt-kills, stop-shim and deadline: defaults, sources, and one clear message for each mistake. */
class RetrofitConfigTest {
    private static final Properties NO_PROPERTIES = new Properties();
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void offByDefault() throws ConfigException {
        AgentConfig c = ConfigLoader.load("include=com.acme.**", NO_PROPERTIES, NO_ENV);
        assertFalse(c.retrofits().interruptKills());
        assertFalse(c.retrofits().stopShim());
        assertEquals(List.of(), c.retrofits().deadlines());
        assertEquals("include=com.acme.** (agent argument), exclude=none, on-demand=all", c.describe());
    }

    @Test
    void readsAllThreeFromTheAgentArgument() throws ConfigException {
        AgentConfig c = ConfigLoader.load("include=com.acme.**;interrupt-kills=true;stop-shim=TRUE;"
                + "deadline=com.acme.ReportJob.run:30s, com.acme.Nightly$Step.go:500ms,com.acme.Batch.all:2m,com.acme.Long.haul:1h",
                NO_PROPERTIES, NO_ENV);
        assertTrue(c.retrofits().interruptKills());
        assertTrue(c.retrofits().stopShim());
        List<DeadlineSpec> d = c.retrofits().deadlines();
        assertEquals(4, d.size());
        assertEquals("com.acme.ReportJob", d.get(0).className());
        assertEquals("run", d.get(0).methodName());
        assertEquals(Duration.ofSeconds(30), d.get(0).budget());
        assertEquals("com.acme.Nightly$Step.go", d.get(1).method());
        assertEquals(Duration.ofMillis(500), d.get(1).budget());
        assertEquals(Duration.ofMinutes(2), d.get(2).budget());
        assertEquals(Duration.ofHours(1), d.get(3).budget());
        assertTrue(c.describe().endsWith(", interrupt-kills=true (agent argument), stop-shim=true (agent argument),"
                + " deadline=com.acme.ReportJob.run:30s,com.acme.Nightly$Step.go:500ms,com.acme.Batch.all:2m,com.acme.Long.haul:1h"
                + " (agent argument)"), c.describe());
    }

    @Test
    void readsThemFromSystemPropertiesAndTheEnvironment() throws ConfigException {
        Properties props = new Properties();
        props.setProperty("killswitch.stop-shim", "true");
        Map<String, String> env = Map.of("KILLSWITCH_INTERRUPT_KILLS", "true", "KILLSWITCH_DEADLINE", "com.acme.Job.run:5s");
        AgentConfig c = ConfigLoader.load("include=com.acme.**", props, env);
        assertTrue(c.retrofits().interruptKills());
        assertTrue(c.retrofits().stopShim());
        assertEquals("com.acme.Job.run:5s", c.retrofits().deadlines().get(0).toString());
        assertEquals("environment variable KILLSWITCH_INTERRUPT_KILLS", c.origin("interrupt-kills"));
        assertEquals("system property killswitch.stop-shim", c.origin("stop-shim"));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "interrupt-kills=yes                          | interrupt-kills must be true or false, not \"yes\" (agent argument)",
            "stop-shim=1                                  | stop-shim must be true or false, not \"1\" (agent argument)",
            "interupt-kills=true                          | unknown key \"interupt-kills\" in agent argument (did you mean interrupt-kills?)",
            "deadline=                                    | deadline is empty (agent argument)",
            "deadline=com.acme.Job.run                    | deadline \"com.acme.Job.run\" (agent argument) has no duration",
            "deadline=com.acme.Job.run:30                 | \"30\" is not a duration; write a number and a unit, as in 500ms, 1.5s, 30s, 2m or 1h",
            "deadline=com.acme.Job.run:1.5d               | \"1.5d\" is not a duration",
            "deadline=com.acme.Job.run:0s                 | the duration must be more than zero",
            "deadline=run:30s                             | \"run\" is not Class.method",
            "deadline=com.acme.Job.:30s                   | \"com.acme.Job.\" is not Class.method",
            "deadline=com.acme.*.run:30s                  | patterns are not allowed here",
            "deadline=com.acme.Job.<init>:30s             | \"<init>\" is not a method name (constructors and static initialisers cannot have a deadline)",
            "deadline=com..Job.run:30s                    | \"com..Job\" is not a class name",
            "deadline=com.acme.Job.run:1s,,com.acme.X.y:1s | has an empty entry between commas",
            "deadline=com.acme.Job.run:1s,com.acme.Job.run:2s | gives com.acme.Job.run twice",
    })
    void eachMistakeHasOneClearMessage(String argument, String expected) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load("include=com.acme.**;" + argument, NO_PROPERTIES, NO_ENV));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void deadlinesAcceptTheSameDurationsAsTheCommandLineTool() throws ConfigException {
        AgentConfig c = ConfigLoader.load("include=com.acme.**;deadline=com.acme.A.a:1.5s,com.acme.B.b:2min,com.acme.C.c:0.5h",
                NO_PROPERTIES, NO_ENV);
        List<DeadlineSpec> d = c.retrofits().deadlines();
        assertEquals(Duration.ofMillis(1500), d.get(0).budget());
        assertEquals(Duration.ofMinutes(2), d.get(1).budget());
        assertEquals(Duration.ofMinutes(30), d.get(2).budget());
    }

    @Test
    void theKnownKeysListNamesTheNewOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("include=a.**;colour=red", NO_PROPERTIES, NO_ENV));
        assertTrue(e.getMessage().endsWith("known keys: include, exclude, debug, interrupt-kills, stop-shim, deadline, include-jdk, on-demand, log-kills"), e.getMessage());
    }
}
