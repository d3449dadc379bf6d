package dev.killswitch.it;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.it.support.ShapeScenario;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Under the Parallel and Serial collectors the agent says, once, which flags keep kills prompt. */
class GcHintTest {

    static Stream<Arguments> cases() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("Parallel", "Serial").map(gc -> Arguments.of(jdk, gc)));
    }

    @ParameterizedTest(name = "{0}, {1} GC")
    @MethodSource("cases")
    void printsTheFlagsThatRestorePromptKills(Jdk jdk, String gc) {
        // A driver that waits for commands: the hint comes a second after start-up, off the start-up path.
        try (ChildJvm child = ShapeScenario.startDriver(ChildJvm.with(jdk.require()).gc("-XX:+Use" + gc + "GC")
                .agentArgs("include=com.acme.**"), "java17")) {
            String hint = child.awaitStderr(l -> l.startsWith("killswitch: this JVM uses the " + gc + " GC"));
            assertTrue(hint.endsWith("For prompt kills add -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000"), hint);
            assertEquals(1, child.agentLines().stream().filter(l -> l.contains(" GC, which leaves")).count(), "once");
        }
    }
}
