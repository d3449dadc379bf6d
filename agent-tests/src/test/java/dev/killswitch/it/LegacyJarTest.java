package dev.killswitch.it;

import dev.killswitch.it.child.LegacyJunitApp;
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

/**
 * junit 3.8.1 from Maven Central: class files of Java 1.1 with jsr/ret subroutines, instrumented
 * whole under -Xverify:all, runs a suite, lets a stuck test be killed (junit's catch (Throwable) records
 * it, tearDown runs through its jsr finally, and the kill is raised again so the runner thread dies),
 * and a thread waiting inside junit's own loop is killed there.
 */
class LegacyJarTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aJava11JarWithSubroutinesIsInstrumentedAndKillable(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=junit.**,com.acme.legacy.**;debug=true")
                .classPath(Paths.legacyJar(), Paths.fixtures("junit3")).main(LegacyJunitApp.class).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());

            ChildJvm.Line suite = child.event("SUITE");
            assertEquals("3", suite.get("run"), suite.toString());
            assertEquals("0", suite.get("failures"), suite.toString());
            assertEquals("0", suite.get("errors"), suite.toString());

            ChildJvm.Line spin = child.event("SPIN");
            assertTrue(spin.flag("delivered"), spin.toString());
            assertTrue(spin.get("deliveredAt").startsWith("com.acme.legacy.SpinSuite.testSpinForever"), spin.toString());
            assertEquals("1", spin.get("errors"), "junit's catch (Throwable) ran to its end and recorded the kill: " + spin);
            assertEquals("dev.killswitch.ThreadKilledError", spin.get("error"), spin.toString());
            assertEquals("dev.killswitch.ThreadKilledError", spin.get("died"), "then the kill was raised again and left junit: " + spin);
            assertEquals("false", spin.get("runnerAlive"), spin.toString());
            assertEquals(spin.get("run"), spin.get("tearDowns"), "tearDown (a jsr finally) ran for every test started, the killed one too: " + spin);

            ChildJvm.Line active = child.event("ACTIVE");
            assertTrue(active.flag("delivered"), active.toString());
            assertTrue(active.get("deliveredAt").startsWith("junit.extensions.ActiveTestSuite.waitUntilFinished"), active.toString());

            assertTrue(child.agentLines().stream().anyMatch(l -> l.startsWith("killswitch: instrumented junit.framework.TestCase:")
                    && l.endsWith("(class file 45, per-method switch, numbered call)")), child.describe());
            assertTrue(child.agentLines().stream().noneMatch(l -> l.contains("unchanged")), child.describe());
        }
    }
}
