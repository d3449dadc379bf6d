package dev.killswitch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassGlobTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
            // package and sub-packages
            "com.acme.**, com/acme/Job, true",
            "com.acme.**, com/acme/sub/deep/Job, true",
            "com.acme.**, com/acme/Job$Step, true",
            "com.acme.**, com/acme, false",
            "com.acme.**, com/acmeX/Job, false",
            "com.acme.**, org/acme/Job, false",
            // that package only
            "com.acme.*, com/acme/Job, true",
            "com.acme.*, com/acme/Job$Step, true",
            "com.acme.*, com/acme/sub/Job, false",
            // exact names and nested classes
            "com.acme.Job, com/acme/Job, true",
            "com.acme.Job, com/acme/Job$Step, false",
            "com.acme.Job, com/acme/Jobs, false",
            "com.acme.Job$Step, com/acme/Job$Step, true",
            "com.acme.Job$*, com/acme/Job$1, true",
            "com.acme.Job$*, com/acme/Job, false",
            // wildcards inside a segment, and ** in the middle
            "com.acme.*Job, com/acme/ReportJob, true",
            "com.acme.*Job, com/acme/JobRunner, false",
            "com.**.internal.*, com/internal/X, true",
            "com.**.internal.*, com/a/b/internal/X, true",
            "com.**.internal.*, com/a/b/internal/y/X, false",
            "**, Anything, true",
            "**, a/b/C, true",
            "*, Top, true",
            "*, a/Top, false",
    })
    void matches(String glob, String internalName, boolean expected) throws ConfigException {
        assertEquals(expected, ClassGlob.parse(glob).matches(internalName));
    }

    @ParameterizedTest
    @ValueSource(strings = {"com..acme", ".com.acme", "com.acme.", "com.acme.a**", "com.acme.**b", "com/acme/**",
            "com.acme-corp.**", "com.acme.Job()", "com acme"})
    void rejectsMalformedPatternsNamingThem(String glob) {
        ConfigException e = assertThrows(ConfigException.class, () -> ClassGlob.parse(glob));
        assertTrue(e.getMessage().contains("\"" + glob + "\""), e.getMessage());
    }

    @Test
    void rejectsTheEmptyPattern() {
        assertThrows(ConfigException.class, () -> ClassGlob.parse(""));
    }

    @Test
    void literalPrefixIsThePartBeforeTheFirstWildcard() throws ConfigException {
        assertEquals("com/acme/", ClassGlob.parse("com.acme.**").literalPrefix());
        assertEquals("com/acme/Job", ClassGlob.parse("com.acme.Job").literalPrefix());
        assertEquals("com/acme/Re", ClassGlob.parse("com.acme.Re*").literalPrefix());
        assertEquals("", ClassGlob.parse("**").literalPrefix());
    }
}
