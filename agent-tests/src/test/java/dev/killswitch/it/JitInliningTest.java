package dev.killswitch.it;

import dev.killswitch.it.child.BlockingMixApp;
import dev.killswitch.it.child.JitInliningApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
 *
 * <p>The same account shows whether a redirected blocking call is compiled for the class its own call site sees: the
 * runtime method it is redirected to makes the original call from one place, whose type profile every redirected call
 * site of the JVM would share.
 */
class JitInliningTest {
    private static final List<String> SLOW_PATHS = List.of("SwitchNumbers::link ", "SwitchNumbers::linkConditional ",
            "MethodSwitch::makeConditionalSite ");

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theLookupsSlowPathIsNeverInlinedAndTheHotLoopsKillPointsAre(Jdk jdk) throws IOException {
        List<String> jit = jitAccount(jdk, child -> {
            assertEquals("1000", child.event("LINKED").get("loads"), child.describe());
            child.event("HOT");
        }, JitInliningApp.class, new String[] {Paths.fixtures("java17").toString(), "1000"}, "-XX:+PrintInlining");

        List<String> slowPath = jit.stream().filter(l -> SLOW_PATHS.stream().anyMatch(l::contains)).collect(Collectors.toList());
        assertFalse(slowPath.isEmpty(), "the JIT considered the lookup's slow path");
        for (String line : slowPath) {
            // "don't inline by annotation", or another reason the JIT met first ("already compiled into a medium method")
            assertFalse(inlined(line), "the slow path is kept out of line: " + line);
        }

        List<String> killPoints = jit.stream().filter(l -> l.contains("KillPoint::at ")).collect(Collectors.toList());
        assertTrue(killPoints.stream().anyMatch(l -> inlined(l) && l.contains("(hot)")), "C2 inlined kill points of the hot loop: " + killPoints);
        for (String line : killPoints) {
            assertFalse(line.contains("already compiled into a"), "a kill point C2 would not inline: " + line);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aRedirectedBlockingCallIsCompiledForTheClassItsOwnCallSiteSees(Jdk jdk) throws IOException {
        String fixture = "com.acme.jit.BlockingMix::";
        List<String> jit = jitAccount(jdk, child -> child.event("RAN"), BlockingMixApp.class, new String[0],
                "-XX:CompileCommand=quiet", "-XX:CompileCommand=PrintInlining," + fixture + "onArray",
                "-XX:CompileCommand=PrintInlining," + fixture + "onReentrant");
        // Three queue classes and three lock classes are in use, each from a method of its own. With one profile for all
        // the call sites, the original call in the runtime sees all three, and C2 makes it a virtual call.
        for (String callee : List.of("ArrayBlockingQueue::put ", "ArrayBlockingQueue::take ", "ReentrantLock::lockInterruptibly ")) {
            assertTrue(jit.stream().anyMatch(l -> l.contains(callee) && inlined(l)), callee + "is inlined where only its class is used:\n"
                    + jit.stream().filter(l -> l.contains("::put ") || l.contains("::take ") || l.contains("::lock"))
                    .collect(Collectors.joining("\n")));
        }
    }

    /**
     * Runs {@code main} in a child under the agent, checks its report with {@code events}, and returns what the JIT
     * printed, read from a log of its own ({@code -XX:LogFile}): on the child's standard output the JIT's lines and the
     * child's report can break into each other mid-line.
     */
    private static List<String> jitAccount(Jdk jdk, Consumer<ChildJvm> events, Class<?> main, String[] args, String... jitArgs)
            throws IOException {
        Path log = Files.createTempFile("jit", ".log");
        try {
            List<String> jvmArgs = new ArrayList<>(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+LogVMOutput",
                    "-XX:-DisplayVMOutput", "-XX:LogFile=" + log));
            jvmArgs.addAll(List.of(jitArgs));
            try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                    .jvmArgs(jvmArgs.toArray(new String[0]))
                    .classPath(Paths.fixtures("java17"))
                    .main(main, args)
                    .start()) {
                assertEquals(0, child.awaitExit(Duration.ofSeconds(90)), child.describe());
                child.awaitOutputEnd();
                events.accept(child);
            }
            // The log is XML: the JIT's own text is escaped within it.
            return Files.readAllLines(log).stream()
                    .map(l -> l.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&"))
                    .collect(Collectors.toList());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A {@code -XX:+PrintInlining} line of a call the JIT inlined: its verdict, after the callee's size, is "inline ...". */
    private static boolean inlined(String line) {
        int size = line.indexOf("bytes)");
        String verdict = size < 0 ? "" : line.substring(size + "bytes)".length()).trim();
        return verdict.startsWith("inline ") || verdict.equals("inline") || verdict.equals("accessor") || verdict.equals("intrinsic");
    }
}
