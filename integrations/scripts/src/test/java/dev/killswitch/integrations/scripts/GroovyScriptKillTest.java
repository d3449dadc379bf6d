package dev.killswitch.integrations.scripts;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.killswitch.integrations.scripts.ScriptHostChild.assertChecksPass;
import static dev.killswitch.integrations.scripts.ScriptHostChild.assertKilledAndNextRuns;
import static dev.killswitch.integrations.scripts.ScriptHostChild.figure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Groovy 5 (GroovyShell, from Maven Central): one shell runs runaway scripts and the scripts after them on one
 * worker thread. Selected: the scripts' own classes only ({@code Script1}, {@code Script1$_run_closure1}), with no
 * instrumentation on demand, so no kill ever lands inside the engine. Each runaway dies, its own finally runs, and
 * the same shell then gives the right answers.
 */
class GroovyScriptKillTest {
    /** The scripts GroovyShell.evaluate(String) compiles are Script1, Script2, ... in the default package. */
    static final String SCRIPTS_ONLY = "include=Script*;on-demand=none";
    private static final long BENCH_STEPS = 2_000_000;

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void eachRunawayScriptDiesAndTheSameShellRunsTheNext(Jdk jdk) {
        try (ChildJvm host = ScriptHostChild.start(jdk, SCRIPTS_ONLY, "groovy")) {
            ChildJvm.Line bench = ScriptHostChild.bench(host, "groovy", BENCH_STEPS);
            assertEquals(Long.toString(BENCH_STEPS), bench.get("value"), bench.toString());

            ChildJvm.Line loop = ScriptHostChild.runaway(host, "groovy", "loop", 0);
            assertKilledAndNextRuns(host, loop);
            assertTrue(loop.flag("finally"), "the script's own finally ran: " + loop);

            // catch (Throwable t) in a loop: the catch block runs once, then the kill is raised again at its end.
            ChildJvm.Line catchall = ScriptHostChild.runaway(host, "groovy", "catchall", 0);
            assertKilledAndNextRuns(host, catchall);
            assertEquals("1", catchall.get("caught"), "the script's catch block ran once: " + catchall);
            assertTrue(catchall.flag("finally"), catchall.toString());

            // 300 frames fast, then deeper slowly: well short of where the stack ends (about 550 frames, see below).
            ChildJvm.Line deep = ScriptHostChild.runaway(host, "groovy", "deep", 300);
            assertKilledAndNextRuns(host, deep);
            assertTrue(deep.flag("finally"), deep.toString());
            assertTrue(deep.number("depth") >= 300, deep.toString());

            // The script spends its time in the engine (compiling classes, changing String's meta class); the kill
            // still lands in the script's own frames only.
            ChildJvm.Line engine = ScriptHostChild.runaway(host, "groovy", "engine", 0);
            assertKilledAndNextRuns(host, engine);
            assertTrue(engine.get("deliveredAt").startsWith("Script"), "landed in the script's code: " + engine);
            assertTrue(engine.flag("finally"), engine.toString());

            // Unbounded recursion ends by itself in a StackOverflowError before a kill could be aimed: the engine's own
            // behaviour, shown here without a kill.
            ChildJvm.Line recursion = ScriptHostChild.free(host, "groovy", "recursion");
            assertTrue(recursion.flag("ended"), recursion.toString());
            assertTrue(recursion.get("error").startsWith("java.lang.StackOverflowError"), recursion.toString());

            assertChecksPass(host, ScriptHostChild.check(host, "groovy"));
            ChildJvm.Line benchAfter = ScriptHostChild.bench(host, "groovy", BENCH_STEPS);

            System.out.println("groovy: " + jdk + ": while (true) { i++ }: " + figure(loop));
            System.out.println("groovy: " + jdk + ": catch (Throwable) in a loop: " + figure(catchall));
            System.out.println("groovy: " + jdk + ": recursion " + deep.get("depth") + " deep (" + deep.get("javaFrames")
                    + " Java frames): " + figure(deep));
            System.out.println("groovy: " + jdk + ": loop in the engine (compiler, meta class): " + figure(engine));
            System.out.println("groovy: " + jdk + ": unbounded recursion without a kill: " + recursion.get("error")
                    + " at depth " + recursion.get("depth") + " after " + recursion.get("ms") + " ms, finally ran: "
                    + recursion.get("finally"));
            System.out.println("groovy: " + jdk + ": loop of " + BENCH_STEPS + " steps, with the agent (scripts selected): "
                    + bench.get("ms") + " ms before the kills, " + benchAfter.get("ms") + " ms after");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheAgentTheRunawaySpinsOn(Jdk jdk) {
        try (ChildJvm host = ScriptHostChild.start(jdk, null, "groovy")) {
            ChildJvm.Line bench = ScriptHostChild.bench(host, "groovy", BENCH_STEPS);
            host.send("runaway groovy loop 3 0");
            ChildJvm.Line loop = host.awaitEvent("RUNAWAY");
            assertEquals("AGENT_INACTIVE", loop.get("asked"), loop + "\n" + host.describe());
            assertFalse(loop.flag("ended"), "without the agent the script still runs 3 s after the kill: " + loop);
            System.out.println("groovy: " + jdk + ": without the agent, the kill is refused (AGENT_INACTIVE) and the loop"
                    + " still runs 3 s later; loop of " + BENCH_STEPS + " steps: " + bench.get("ms") + " ms");
        }
    }
}
