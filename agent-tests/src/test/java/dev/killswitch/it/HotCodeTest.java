package dev.killswitch.it;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.it.support.ShapeScenario;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills in code the JIT has compiled and optimised (the idle kill points compiled to nothing), under
 * each collector. Parallel and Serial run with the flags the agent's start-up hint recommends, which
 * put safepoint polls back into counted loops.
 */
class HotCodeTest {
    private static final String[] HINTED = {"-XX:+UseCountedLoopSafepoints", "-XX:LoopStripMiningIter=1000"};

    static Stream<Arguments> cases() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("G1", "Parallel", "Serial").map(gc -> Arguments.of(jdk, gc)));
    }

    @ParameterizedTest(name = "{0}, {1} GC")
    @MethodSource("cases")
    void killsLandInCompiledLoopsAndRecursion(Jdk jdk, String gc) {
        ChildJvm.Builder builder = ChildJvm.with(jdk.require()).gc("-XX:+Use" + gc + "GC")
                .agentArgs("include=com.acme.**");
        if (!gc.equals("G1")) {
            builder.jvmArgs(HINTED);
        }
        try (ChildJvm child = ShapeScenario.startDriver(builder, "java17")) {
            for (String shape : new String[] {"countedLoop", "whileLoop", "recursionOnly", "forEach"}) {
                // Long enough for C2 to compile the loop (tens of millions of iterations).
                ChildJvm.Line killed = ShapeScenario.killAndCheck(child, shape, "system", "platform", 30_000_000);
                assertTrue(killed.decimal("latencyMs") < 1000, killed.toString());
            }
        }
    }
}
