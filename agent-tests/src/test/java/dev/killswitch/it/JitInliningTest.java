package dev.killswitch.it;

import dev.killswitch.it.child.JitInliningApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle kill points cost C2's code nothing only if C2 inlines them, and C2 inlines no method whose own compiled code
 * has grown big ({@code InlineSmallCode}). The kill points' lookup must keep its slow path, linking a switch the first
 * time a method runs, out of line: taken in while a program loads many classes, it made the lookup's compiled code
 * 8.5 KB in the Kotlin compiler, and C2 then left every kill point it compiled as a call. Checked with the JIT's own
 * account of what it inlined ({@code -XX:+PrintInlining}), in a child that links 40,000 switches and then runs a hot loop.
 */
class JitInliningTest {
    private static final List<String> SLOW_PATHS = List.of("SwitchNumbers::link ", "SwitchNumbers::linkConditional ",
            "MethodSwitch::makeConditionalSite ");

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theLookupsSlowPathIsNeverInlinedAndTheHotLoopsKillPointsAre(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .jvmArgs("-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining")
                .classPath(Paths.fixtures("java17"))
                .main(JitInliningApp.class, Paths.fixtures("java17").toString(), "1000")
                .start()) {
            // The JIT's account is long: wait for the child's end and all of its output, then read it.
            assertEquals(0, child.awaitExit(Duration.ofSeconds(90)), child.describe());
            child.awaitOutputEnd();
            assertEquals("1000", child.event("LINKED").get("loads"), child.describe());
            child.event("HOT");

            List<String> slowPath = child.stdout().stream().filter(l -> SLOW_PATHS.stream().anyMatch(l::contains))
                    .collect(Collectors.toList());
            assertFalse(slowPath.isEmpty(), "the JIT considered the lookup's slow path: " + child.describe());
            for (String line : slowPath) {
                // "don't inline by annotation", or another reason the JIT met first ("already compiled into a medium method")
                assertFalse(inlined(line), "the slow path is kept out of line: " + line);
            }

            List<String> killPoints = child.stdout().stream().filter(l -> l.contains("KillPoint::at ")).collect(Collectors.toList());
            assertTrue(killPoints.stream().anyMatch(l -> inlined(l) && l.contains("(hot)")), "C2 inlined kill points of the hot loop: " + killPoints);
            for (String line : killPoints) {
                assertFalse(line.contains("already compiled into a"), "a kill point C2 would not inline: " + line);
            }
        }
    }

    /** A {@code -XX:+PrintInlining} line of a call the JIT inlined: its verdict, after the callee's size, is "inline ...". */
    private static boolean inlined(String line) {
        int size = line.indexOf("bytes)");
        String verdict = size < 0 ? "" : line.substring(size + "bytes)".length()).trim();
        return verdict.startsWith("inline ") || verdict.equals("inline") || verdict.equals("accessor") || verdict.equals("intrinsic");
    }
}
