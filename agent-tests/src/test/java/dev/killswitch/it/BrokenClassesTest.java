package dev.killswitch.it;

import dev.killswitch.it.child.BrokenClassesApp;
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

/** Selected classes the agent cannot read are loaded as they are, reported once, and nothing else suffers. */
class BrokenClassesTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void corruptAndTooNewClassFilesAreReportedAndTheApplicationCarriesOn(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .classPath(Paths.fixtures("java17")).main(BrokenClassesApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            // The JVM itself rejects the bytes, as it would without the agent.
            assertEquals("java.lang.ClassFormatError", child.event("TRUNCATED").get("error"), child.describe());
            assertEquals("java.lang.UnsupportedClassVersionError", child.event("FUTURE").get("error"), child.describe());
            assertTrue(child.event("KILL").flag("delivered"), "kills still work: " + child.describe());

            List<String> lines = child.agentLines();
            assertEquals(1, count(lines, "killswitch: com.acme.broken.Truncated loaded unchanged, without kill points: "
                    + "the class file cannot be read"), child.describe());
            assertEquals(1, count(lines, "killswitch: com.acme.shapes.Shapes loaded unchanged, without kill points: "
                    + "class-file version 99 is newer than this agent supports"), child.describe());
        }
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }
}
