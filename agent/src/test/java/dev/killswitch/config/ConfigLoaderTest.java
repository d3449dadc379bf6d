package dev.killswitch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final Properties NO_PROPERTIES = new Properties();
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void readsAgentArguments() throws ConfigException {
        AgentConfig c = ConfigLoader.load(" include = com.acme.** , org.old.* ; exclude=com.acme.gen.**;debug=TRUE; ",
                NO_PROPERTIES, NO_ENV);
        assertEquals("com.acme.**,org.old.*", texts(c.include()));
        assertEquals("com.acme.gen.**", texts(c.exclude()));
        assertTrue(c.debug());
        assertEquals("agent argument", c.origin("include"));
    }

    @Test
    void agentArgumentsWinOverSystemPropertiesWhichWinOverTheEnvironment() throws ConfigException {
        Properties props = new Properties();
        props.setProperty("killswitch.include", "from.property.**");
        props.setProperty("killswitch.exclude", "from.property.Ex");
        props.setProperty("killswitch.debug", "true");
        Map<String, String> env = Map.of("KILLSWITCH_INCLUDE", "from.env.**", "KILLSWITCH_EXCLUDE", "from.env.Ex",
                "KILLSWITCH_DEBUG", "false", "PATH", "/bin");

        AgentConfig c = ConfigLoader.load("include=from.args.**", props, env);
        assertEquals("from.args.**", texts(c.include()));
        assertEquals("from.property.Ex", texts(c.exclude()));
        assertTrue(c.debug());
        assertEquals("system property killswitch.exclude", c.origin("exclude"));

        c = ConfigLoader.load(null, NO_PROPERTIES, env);
        assertEquals("from.env.**", texts(c.include()));
        assertFalse(c.debug());
        assertEquals("environment variable KILLSWITCH_INCLUDE", c.origin("include"));
        assertTrue(c.describe().contains("include=from.env.** (environment variable KILLSWITCH_INCLUDE)"), c.describe());
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "inclde=com.acme.**              | unknown key \"inclde\" in agent argument (did you mean include?)",
            "include=com.acme.**;verbose=1   | unknown key \"verbose\" in agent argument",
            "include                         | cannot parse agent argument \"include\": expected key=value",
            "=com.acme.**                    | the key before '=' is missing",
            "include=                        | include is empty (agent argument)",
            "include=com.acme.**,,org.x.*    | has an empty pattern between commas",
            "include=com..acme               | class pattern \"com..acme\" has an empty name segment",
            "include=com/acme/**             | contains '/': write package names with dots",
            "include=com.acme.**;exclude=a** | \"**\" must be a whole segment",
            "include=a.*;include=b.*         | agent argument include is given twice",
            "include=a.*;debug=yes           | debug must be true or false, not \"yes\"",
            "debug=true;on-demand=none       | no classes selected: with on-demand=none, give include=<patterns>",
            "include-jdk=java.util           | include-jdk \"java.util\" (agent argument) is not a JDK package where a kill is safe",
            "include-jdk=java.util.regex.**  | is not a JDK package where a kill is safe",
            "on-demand=org..lib.**           | has an empty name segment",
            "on-demand=                      | on-demand is empty (agent argument)",
    })
    void rejectsBadAgentArgumentsWithOneClearMessage(String args, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(args, NO_PROPERTIES, NO_ENV));
        assertTrue(e.getMessage().contains(expected.trim()), e.getMessage());
    }

    @Test
    void includeIsOptionalAndOnDemandIsOnByDefault() throws ConfigException {
        AgentConfig bare = ConfigLoader.load("", NO_PROPERTIES, NO_ENV);
        assertEquals(List.of(), bare.include());
        assertNull(bare.onDemand(), "every class include could name");
        assertEquals("include=none, exclude=none, on-demand=all", bare.describe());
        AgentConfig some = ConfigLoader.load("include-jdk=java.util.regex;on-demand=org.lib.**,com.vendor.*", NO_PROPERTIES, NO_ENV);
        assertEquals(List.of("java.util.regex"), some.includeJdk());
        assertEquals(2, some.onDemand().size());
        assertEquals("include=none, exclude=none, include-jdk=java.util.regex (agent argument), on-demand=org.lib.**,com.vendor.*"
                + " (agent argument)", some.describe());
        assertEquals(List.of(), ConfigLoader.load("include=a.*;on-demand=none", NO_PROPERTIES, NO_ENV).onDemand());
    }

    @Test
    void readsOnlyTheEnvironmentVariablesOfItsKeys() throws ConfigException {
        AgentConfig c = ConfigLoader.load("include=a.*", NO_PROPERTIES, Map.of("KILLSWITCH_HOME", "/opt/killswitch",
                "KILLSWITCH_EXCLUDES", "x", "KILLSWITCH_EXCLUDE", "a.B"));
        assertEquals("a.B", c.exclude().get(0).text());
    }

    @Test
    void charactersThatNoClassNameHasAreNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("include=com.a\u200bcme.**", NO_PROPERTIES, NO_ENV));
        assertEquals("include (agent argument): class pattern \"com.a\\u200bcme.**\" contains the invisible character U+200B,"
                + " which cannot appear in a class name", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load("include=com.acme\t.**", NO_PROPERTIES, NO_ENV));
        assertTrue(e.getMessage().contains("contains the invisible character U+0009"), e.getMessage());
    }

    @Test
    void rejectsUnknownSystemPropertiesOfItsOwn() {
        Properties props = new Properties();
        props.setProperty("killswitch.includes", "com.acme.**");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("include=a.*", props, NO_ENV));
        assertTrue(e.getMessage().contains("unknown key \"includes\" in system property killswitch.includes"), e.getMessage());
    }

    @Test
    void environmentVariableNamesFollowTheKeys() {
        assertEquals("KILLSWITCH_INCLUDE", ConfigLoader.envName("include"));
        assertEquals("KILLSWITCH_INTERRUPT_KILLS", ConfigLoader.envName("interrupt-kills"));
    }

    private static String texts(java.util.List<ClassGlob> globs) {
        return globs.stream().map(ClassGlob::text).collect(Collectors.joining(","));
    }
}
