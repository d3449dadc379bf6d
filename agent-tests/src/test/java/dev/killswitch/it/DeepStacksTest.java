package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills of threads with deep stacks, where the deliverer looks at the top of the stack first and at the whole of it
 * only when it must: ten thousand selected frames, each with a finally block; and a selected loop under three thousand
 * frames of an unselected library, deeper than {@code Thread.getStackTrace} goes on recent JDKs.
 */
class DeepStacksTest {
    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillTenThousandFramesDeepLandsAndEveryFinallyBlockRuns(Jdk jdk) {
        try (ChildJvm target = startAndKill(jdk, "deep", "deepThenSpin", "DEEP")) {
            assertEquals("10001", target.awaitEvent("UNWOUND", Duration.ofSeconds(20)).get("value"),
                    "every frame's finally block ran:\n" + target.describe());
            assertEquals("dev.killswitch.ThreadKilledError", target.awaitEvent("DIED").get("error"), target.describe());
        }
    }

    /**
     * A thread 50,000 frames deep meets its armed kill point and looks at its own stack, usually for longer than the
     * deliverer waits before it reads that stack whole: the deliverer puts that off rather than stop the thread (and,
     * through the thread bean, every thread) in the middle of its look, and says so once. A JVM's first kill, so the look
     * runs in code never compiled. Whether the deliverer's next sample falls due during the look depends on the
     * machine (a busy one may not run the deliverer until the kill has landed); {@code SamplePutOffTest} checks the
     * rule itself.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theDelivererDoesNotReadAStackItsThreadIsLookingAt(Jdk jdk) {
        try (ChildJvm target = startAndKillWith(";debug=true", jdk, "deep", "deeperThenSpin", "DEEP")) {
            assertEquals("50001", target.awaitEvent("UNWOUND", Duration.ofSeconds(30)).get("value"),
                    "every frame's finally block ran:\n" + target.describe());
            List<String> putOff = target.agentLines().stream().filter(l -> l.contains(" put off: the thread is looking at its own stack"))
                    .collect(Collectors.toList());
            assertTrue(putOff.size() <= 1, "a put-off is said once a kill:\n" + target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void selectedCodeUnderThousandsOfLibraryFramesIsFoundAndKilled(Jdk jdk) {
        try (ChildJvm target = startAndKill(jdk, "looper", "loopOverDeepLibrary", "RECURSING")) {
            assertEquals("looper", target.awaitEvent("FINALLY", Duration.ofSeconds(20)).get("name"), target.describe());
            assertEquals("dev.killswitch.ThreadKilledError", target.awaitEvent("DIED").get("error"), target.describe());
        }
    }

    /**
     * A JVM told to keep stack traces short ({@code -XX:MaxJavaStackTraceDepth}, which some set to make exceptions
     * cheaper) cuts {@code Thread.getStackTrace} of another thread there from JDK 19 on: a stack of 50 frames of a
     * library on top of the selected loop is not the whole stack, whatever its length.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void selectedCodeUnderLibraryFramesIsFoundWhenTheJvmCutsStackTracesShort(Jdk jdk) {
        try (ChildJvm target = startAndKill(jdk, "looper", "loopOverDeepLibrary", "RECURSING", "-XX:MaxJavaStackTraceDepth=50")) {
            assertEquals("looper", target.awaitEvent("FINALLY", Duration.ofSeconds(20)).get("name"), target.describe());
            assertEquals("dev.killswitch.ThreadKilledError", target.awaitEvent("DIED").get("error"), target.describe());
        }
    }

    /** Starts {@code Deep.method} on a thread, waits until it is where it stays, and kills it with the command-line tool. */
    private static ChildJvm startAndKill(Jdk jdk, String thread, String method, String there, String... jvmArgs) {
        return startAndKillWith("", jdk, thread, method, there, jvmArgs);
    }

    private static ChildJvm startAndKillWith(String moreAgentArgs, Jdk jdk, String thread, String method, String there, String... jvmArgs) {
        ChildJvm target = ChildJvm.with(jdk.require()).classPath(Paths.fixtures("ondemand")).main(ControlTarget.class)
                .jvmArgs("-Xss64m").jvmArgs(jvmArgs).agentArgs("include=com.acme.deep.Deep;on-demand=none" + moreAgentArgs).start();
        try {
            target.awaitEvent("READY");
            long id = target.ask("START " + thread + " com.acme.deep.Deep " + method, "STARTED").number("id");
            // The thread may report before the answer to START is printed, which the ask has read past: look at all lines.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !target.events(there).isEmpty());
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "20s");
            assertEquals(0, kill.exit, "delivered (the selected code at the bottom of the stack was found):\n" + kill + target.describe());
            return target;
        } catch (RuntimeException | AssertionError e) {
            target.close();
            throw e;
        }
    }
}
