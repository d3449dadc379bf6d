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
 * Rhino (from Maven Central), one context and one global scope per mode, each on its own worker thread. Interpreted
 * mode runs scripts in {@code org.mozilla.javascript.Interpreter} and its nested instruction classes; compiled mode
 * generates classes in {@code org.mozilla.javascript.gen}. Those are selected, nothing else of the engine.
 */
class RhinoScriptKillTest {
    static final String INTERPRETER_AND_GENERATED = "include=org.mozilla.javascript.Interpreter,"
            + "org.mozilla.javascript.Interpreter$*,org.mozilla.javascript.gen.**;on-demand=none";
    private static final long BENCH_STEPS = 2_000_000;

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void interpretedRunawaysDieWithoutTheirFinallyAndTheContextRunsTheNext(Jdk jdk) {
        try (ChildJvm host = ScriptHostChild.start(jdk, INTERPRETER_AND_GENERATED, "rhino-interpreted")) {
            String e = "rhino-interpreted";
            ChildJvm.Line bench = ScriptHostChild.bench(host, e, BENCH_STEPS);
            assertEquals(Long.toString(BENCH_STEPS), bench.get("value"), bench.toString());
            StringBuilder figures = new StringBuilder();
            // JS calls run in the interpreter's own frames on the heap, not on the Java stack: no StackOverflowError,
            // so a plain unbounded recursion is killed too, and 100000 calls deep costs nothing to sample.
            String[][] cases = {{"loop", "0"}, {"catchall", "0"}, {"recursion", "0"}, {"deep", "100000"}, {"engine", "0"}};
            for (String[] c : cases) {
                ChildJvm.Line r = ScriptHostChild.runaway(host, e, c[0], Long.parseLong(c[1]));
                assertKilledAndNextRuns(host, r);
                assertTrue(r.get("deliveredAt").startsWith("org.mozilla.javascript.Interpreter"), r.toString());
                // Rhino's interpreter runs neither a script's catch nor its finally for a Java Error.
                assertFalse(r.flag("finally"), "the interpreter skips the script's finally for an Error: " + r);
                assertEquals("0", r.get("caught"), r.toString());
                figures.append("\nrhino interpreted: ").append(jdk).append(": ").append(c[0])
                        .append("deep".equals(c[0]) ? " (" + r.get("depth") + " JS calls deep)" : "").append(": ").append(figure(r));
            }
            assertChecksPass(host, ScriptHostChild.check(host, e));
            ChildJvm.Line benchAfter = ScriptHostChild.bench(host, e, BENCH_STEPS);
            System.out.println(figures.substring(1));
            System.out.println("rhino interpreted: " + jdk + ": loop of " + BENCH_STEPS + " steps, with the agent: "
                    + bench.get("ms") + " ms before the kills, " + benchAfter.get("ms") + " ms after");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void compiledRunawaysDieAfterTheirFinallyAndTheContextRunsTheNext(Jdk jdk) {
        try (ChildJvm host = ScriptHostChild.start(jdk, INTERPRETER_AND_GENERATED, "rhino-compiled")) {
            String e = "rhino-compiled";
            ChildJvm.Line bench = ScriptHostChild.bench(host, e, BENCH_STEPS);
            // Compiled functions are Java methods: unbounded recursion ends in a StackOverflowError of its own.
            ChildJvm.Line recursion = ScriptHostChild.free(host, e, "recursion");
            assertTrue(recursion.get("error").startsWith("java.lang.StackOverflowError"), recursion.toString());
            // A quarter of that depth: frames of other functions, and calls into Java, are bigger.
            long stackEnd = (long) Double.parseDouble(recursion.get("depth"));
            StringBuilder figures = new StringBuilder();
            String[][] cases = {{"loop", "0"}, {"catchall", "0"}, {"deep", Long.toString(stackEnd / 4)}, {"engine", "0"}};
            for (String[] c : cases) {
                ChildJvm.Line r = ScriptHostChild.runaway(host, e, c[0], Long.parseLong(c[1]));
                assertKilledAndNextRuns(host, r);
                // Compiled mode still interprets some code (a function made by new Function(...)): both are selected.
                assertTrue(r.get("deliveredAt").startsWith("org.mozilla.javascript.gen.")
                        || r.get("deliveredAt").startsWith("org.mozilla.javascript.Interpreter"), r.toString());
                assertTrue(r.flag("finally"), "compiled code runs the script's finally: " + r);
                assertEquals("0", r.get("caught"), "a JS catch does not catch a Java Error: " + r);
                figures.append("\nrhino compiled: ").append(jdk).append(": ").append(c[0])
                        .append("deep".equals(c[0]) ? " (" + r.get("depth") + " calls, " + r.get("javaFrames") + "+ Java frames)" : "")
                        .append(": ").append(figure(r));
            }
            assertChecksPass(host, ScriptHostChild.check(host, e));
            ChildJvm.Line benchAfter = ScriptHostChild.bench(host, e, BENCH_STEPS);
            System.out.println(figures.substring(1));
            System.out.println("rhino compiled: " + jdk + ": unbounded recursion without a kill: " + recursion.get("error")
                    + " at depth " + recursion.get("depth") + " after " + recursion.get("ms") + " ms, finally ran: " + recursion.get("finally"));
            System.out.println("rhino compiled: " + jdk + ": loop of " + BENCH_STEPS + " steps, with the agent: "
                    + bench.get("ms") + " ms before the kills, " + benchAfter.get("ms") + " ms after");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheAgentTheRunawaysSpinOn(Jdk jdk) {
        try (ChildJvm host = ScriptHostChild.start(jdk, null, "rhino-interpreted", "rhino-compiled")) {
            StringBuilder benches = new StringBuilder();
            for (String e : List.of("rhino-interpreted", "rhino-compiled")) {
                benches.append(' ').append(e).append(' ').append(ScriptHostChild.bench(host, e, BENCH_STEPS).get("ms")).append(" ms;");
                host.send("runaway " + e + " loop 3 0");
                ChildJvm.Line loop = host.awaitEvent("RUNAWAY");
                assertEquals("AGENT_INACTIVE", loop.get("asked"), loop + "\n" + host.describe());
                assertFalse(loop.flag("ended"), "without the agent the script still runs 3 s after the kill: " + loop);
            }
            System.out.println("rhino: " + jdk + ": without the agent, kills are refused (AGENT_INACTIVE) and both loops"
                    + " still run 3 s later; loop of " + BENCH_STEPS + " steps:" + benches);
        }
    }
}
