package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code attach}: the agent loaded into a JVM that was started without it. Classes loaded already get
 * their kill points by retransformation; frames that were running keep their old code, but what they
 * call is instrumented, and so is every new call.
 */
class AttachTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    /** A JVM that has never heard of killswitch: no agent, and no agent jar on its class path. */
    private static ChildJvm plainTarget(Jdk jdk, String... jvmArgs) {
        ChildJvm target = ChildJvm.with(jdk.require()).withoutAgentJar().jvmArgs(jvmArgs).classPath(Paths.fixtures("java17"))
                .main(ControlTarget.class).start();
        target.awaitEvent("READY");
        return target;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachInstrumentsLoadedClassesSoNewLoopsAndTheCalleesOfOldFramesCanBeKilled(Jdk jdk) {
        try (ChildJvm target = plainTarget(jdk)) {
            String pid = Long.toString(target.pid());
            long oldCaller = target.ask("START old-caller com.acme.control.Runaways callLoop", "STARTED").number("id");
            long oldSpinner = target.ask("START old-spinner com.acme.control.Runaways spin", "STARTED").number("id");

            Cli.Result attach = Cli.run(jdk, "attach", pid, "include=com.acme.**");
            assertEquals(0, attach.exit, attach.toString());
            assertTrue(attach.out.matches("(?s)loaded the killswitch agent into JVM " + pid + " in \\d+ ms: [1-9]\\d* loaded classes"
                    + " instrumented by retransformation, .*"), attach.toString());
            assertTrue(attach.out.contains("keeps its old code until it returns"), attach.toString());
            assertTrue(attach.out.matches("(?s).*\n  classes           \\d+ instrumented \\([1-9]\\d* by retransformation when attached\\)\n.*"),
                    attach.toString());
            assertEquals(jdk.feature() >= 21, attach.out.contains("prints a warning on the JVM's standard error about an agent loaded at run time"),
                    attach.toString());
            target.awaitStderr(l -> l.startsWith("killswitch: active, include=com.acme.** (agent argument)")
                    && l.contains("; attached to the running JVM, "));
            if (jdk.feature() >= 21) {
                target.awaitStderr(l -> l.contains("A Java agent has been loaded dynamically"));
            }

            // Started after the attach: one in a class loaded then, one in a class that was retransformed.
            long newLoop = target.ask("START new-loop com.acme.shapes.Shapes whileLoop", "STARTED").number("id");
            long newSpinner = target.ask("START new-spinner com.acme.control.Runaways spin", "STARTED").number("id");
            assertKilled(jdk, target, pid, newLoop, "new-loop", "com.acme.shapes.Shapes.");
            assertKilled(jdk, target, pid, newSpinner, "new-spinner", "com.acme.control.Runaways.spin(");

            // An old frame dies in the first instrumented method it calls.
            assertKilled(jdk, target, pid, oldCaller, "old-caller", "com.acme.control.Runaways.step(");

            // An old frame that calls nothing cannot be reached, and the tool says so.
            Cli.Result stuck = Cli.run(jdk, "kill", pid, Long.toString(oldSpinner), "--wait", "1s");
            assertEquals(1, stuck.exit, stuck.toString());
            assertTrue(stuck.out.startsWith("thread " + oldSpinner + " \"old-spinner\" did not die within 1 s: it is running "
                    + "com.acme.control.Runaways.spin(Unknown Source), a frame that started before the agent was attached"), stuck.toString());
            assertTrue(target.ask("ALIVE? old-spinner", "ALIVE").flag("alive"));

            Cli.Result again = Cli.run(jdk, "attach", pid, "include=org.other.**");
            assertEquals(0, again.exit, again.toString());
            assertTrue(again.out.startsWith("the killswitch agent is already active in JVM " + pid + "; it is not loaded again"), again.toString());
            assertTrue(again.out.contains("  include           com.acme.**"), again.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void badAgentArgumentsAreRejectedBeforeTheTargetIsTouched(Jdk jdk) {
        try (ChildJvm target = plainTarget(jdk)) {
            String pid = Long.toString(target.pid());
            Cli.Result bad = Cli.run(jdk, "attach", pid, "include=com..acme.**");
            assertEquals(2, bad.exit, bad.toString());
            assertTrue(bad.err.contains("killswitch: the agent would not start with these arguments: ")
                    && bad.err.contains("has an empty name segment"), bad.toString());
            Cli.Result none = Cli.run(jdk, "attach", pid, "on-demand=none");
            assertEquals(2, none.exit, none.toString());
            assertTrue(none.err.contains("no classes selected: with on-demand=none, give include=<patterns>"), none.toString());
            Cli.Result split = Cli.run(jdk, "attach", pid, "include=com.acme.**", "debug=true");
            assertEquals(2, split.exit, split.toString());
            assertTrue(split.err.contains("attach takes the agent arguments as one word: quote them"), split.toString());

            Cli.Result status = Cli.run(jdk, "status", pid);
            assertEquals(4, status.exit, "still no agent: " + status);
            assertTrue(target.agentLines().isEmpty(), target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aJvmThatForbidsAgentsAtRunTimeIsReportedAndCarriesOn(Jdk jdk) {
        jdk.requireAtLeast(21, "-XX:-EnableDynamicAgentLoading");
        try (ChildJvm target = plainTarget(jdk, "-XX:-EnableDynamicAgentLoading")) {
            target.ask("START survivor com.acme.control.Runaways callLoop", "STARTED");
            Cli.Result refused = Cli.run(jdk, "attach", Long.toString(target.pid()), "include=com.acme.**");
            assertEquals(3, refused.exit, refused.toString());
            assertTrue(refused.err.contains("killswitch: JVM " + target.pid() + " did not load the agent"), refused.toString());
            assertFalse(refused.err.contains("Exception in thread"), refused.toString());
            assertTrue(target.ask("ALIVE? survivor", "ALIVE").flag("alive"), target.describe());
        }
    }

    private static void assertKilled(Jdk jdk, ChildJvm target, String pid, long id, String name, String frame) {
        Cli.Result kill = Cli.run(jdk, "kill", pid, Long.toString(id), "--wait", "10s");
        assertEquals(0, kill.exit, kill.toString());
        assertTrue(kill.out.startsWith("thread " + id + " \"" + name + "\" killed: ThreadKilledError thrown at " + frame), kill.toString());
        ChildJvm.Line died = target.awaitEvent("DIED", Duration.ofSeconds(10));
        assertEquals(name, died.get("name"), died.toString());
        assertEquals("dev.killswitch.ThreadKilledError", died.get("error"), died.toString());
    }
}
