package dev.killswitch.it;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.it.support.ShapeScenario;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
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
                ShapeScenario.killAndCheck(child, shape, "system", "platform", 30_000_000);
            }
        }
    }

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    /**
     * A kill looks at its victim's stack before it arms anything. On JDK 19 and later {@code Thread.getStackTrace} of
     * another thread is a handshake with that thread alone, where the thread bean's look is a safepoint: every thread
     * of the JVM stopped, once per kill, for 0.1 to 0.3 ms. The JVM's own log of its safepoints and handshakes tells.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillLooksAtTheVictimsStackWithoutStoppingTheOtherThreads(Jdk jdk) throws IOException {
        jdk.requireAtLeast(19, "a look at one thread's stack that stops no other");
        Path log = Files.createTempFile("safepoints", ".log");
        try {
            try (ChildJvm child = ShapeScenario.startDriver(ChildJvm.with(jdk).agentArgs("include=com.acme.**")
                    .jvmArgs("-Xlog:safepoint=info,handshake=info:file=" + log), "java17")) {
                for (String shape : new String[] {"whileLoop", "countedLoop"}) { // the first kill of a JVM starts the deliverer, the second may find it idle
                    ShapeScenario.killAndCheck(child, shape, "system", "platform", 30_000_000);
                }
            }
            List<String> lines = Files.readAllLines(log);
            List<String> dumps = lines.stream().filter(l -> l.contains("\"ThreadDump\"")).collect(Collectors.toList());
            assertTrue(dumps.isEmpty(), "no safepoint to look at a stack:\n" + String.join("\n", dumps));
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"GetStackTraceClosure\"")), "stacks were looked at by handshakes:\n"
                    + String.join("\n", lines));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
