package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.it.support.FixtureAgents;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills where nobody selected in advance: the classes on a victim's stack instrumented when the kill needs
 * them, the JDK's regular expressions as an opt-in safe spot, and callbacks of selected code driven by loops
 * that are not. Each kill comes from the command-line tool, as an operator sends it.
 */
class OnDemandTest {
    private static final String LIBRARY = "org.apache.commons.collections4.";

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    /** Each JDK with platform threads, and with virtual threads where it has them. */
    static List<Arguments> jdksAndThreads() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : TestJdks.all()) {
            cases.add(Arguments.of(jdk, "platform"));
            cases.add(Arguments.of(jdk, "virtual"));
        }
        return cases;
    }

    static ChildJvm target(Jdk jdk, String agentArgs) {
        ChildJvm.Builder b = ChildJvm.with(jdk.require()).classPath(Paths.fixtures("ondemand"), Paths.library("commons-collections4.jar"))
                .main(ControlTarget.class);
        ChildJvm target = (agentArgs == null ? b : b.agentArgs(agentArgs)).start();
        target.awaitEvent("READY");
        return target;
    }

    /** A JVM started without the agent, to attach to. */
    private static ChildJvm plainTarget(Jdk jdk) {
        ChildJvm target = ChildJvm.with(jdk.require()).withoutAgentJar()
                .classPath(Paths.fixtures("ondemand"), Paths.library("commons-collections4.jar")).main(ControlTarget.class).start();
        target.awaitEvent("READY");
        return target;
    }

    @ParameterizedTest(name = "{0}, {1} thread")
    @MethodSource("jdksAndThreads")
    void aBareAgentKillsALoopInALibraryNobodySelectedAndItsFinallyRuns(Jdk jdk, String kind) {
        if (kind.equals("virtual")) {
            jdk.requireAtLeast(21, "virtual threads");
        }
        try (ChildJvm target = target(jdk, null)) {
            target.awaitStderr(l -> l.startsWith("killswitch: active, include=none, exclude=none, on-demand=all"));
            long id = target.ask("START counter com.acme.ondemand.Work endlessIterator " + kind, "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "10s");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("thread " + id + " \"counter\" killed: ThreadKilledError thrown at " + LIBRARY), kill.toString());
            assertTrue(kill.out.matches("(?s).*\\(\\d+ class(es)? instrumented on demand: [^)]*" + LIBRARY.replace(".", "\\.")
                    + "[^)]*\\), [0-9.]+ ms after the request.*"), kill.toString());
            assertEquals("counter", target.awaitEvent("FINALLY").get("name"), target.describe());
            assertEquals("dev.killswitch.ThreadKilledError", target.awaitEvent("DIED").get("error"), target.describe());
            Cli.Result status = Cli.run(jdk, "status", Long.toString(target.pid()));
            assertTrue(status.out.contains("\n  include           (none)\n"), status.toString());
            assertTrue(status.out.matches("(?s).*\n  on-demand         all \\([1-9]\\d* classes instrumented on demand so far\\)\n.*"),
                    status.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aRegexCatastropheDiesWithTheOptInAndTheSharedPatternStillWorks(Jdk jdk) {
        // Neither on demand nor selected: only the JDK's regex has kill points.
        try (ChildJvm target = target(jdk, "include-jdk=java.util.regex;on-demand=none")) {
            long id = target.ask("START matcher com.acme.ondemand.Work regexCatastrophe", "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "10s");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("thread " + id + " \"matcher\" killed: ThreadKilledError thrown at java.util.regex."), kill.toString());
            assertEquals("matcher", target.awaitEvent("FINALLY").get("name"), target.describe());
            target.send("START checker com.acme.ondemand.Work regexCheck");
            ChildJvm.Line check = target.awaitEvent("REGEX");
            assertEquals("checker", check.get("name"));
            assertTrue(check.flag("ok"), "the pattern shared with the killed match still matches correctly: " + check);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheOptInARegexCatastropheIsDiagnosedAndLeftAlone(Jdk jdk) {
        try (ChildJvm target = target(jdk, null)) {
            long id = target.ask("START matcher com.acme.ondemand.Work regexCatastrophe", "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "1s");
            assertEquals(1, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("thread " + id + " \"matcher\" did not die within 1 s: it is in the JDK's regular expressions at"
                    + " java.util.regex."), kill.toString());
            assertTrue(kill.out.contains("include-jdk=java.util.regex lets a kill land there"), kill.toString());
            assertTrue(target.ask("ALIVE? matcher", "ALIVE").flag("alive"), target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachedWithoutArgumentsItInstrumentsOnDemand(Jdk jdk) {
        try (ChildJvm target = plainTarget(jdk)) {
            String pid = Long.toString(target.pid());
            long id = target.ask("START counter com.acme.ondemand.Work endlessIterator", "STARTED").number("id");
            Cli.Result attach = Cli.run(jdk, "attach", pid);
            assertEquals(0, attach.exit, attach.toString());
            Cli.Result kill = Cli.run(jdk, "kill", pid, Long.toString(id), "--wait", "10s");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("thread " + id + " \"counter\" killed: ThreadKilledError thrown at " + LIBRARY), kill.toString());
            assertEquals("counter", target.awaitEvent("FINALLY").get("name"), target.describe());
        }
    }

    /** An explicit module reads only what it declares: the code a kill gives it must be let read the runtime. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aLoopInANamedModuleIsKilledOnDemand(Jdk jdk) {
        ChildJvm target = ChildJvm.with(jdk.require()).jvmArgs("--module-path", Paths.fixtures("modular").toString(),
                "--add-modules", "com.acme.modular").main(ControlTarget.class).start();
        try (target) {
            target.awaitEvent("READY");
            long id = target.ask("START rows com.acme.modular.Rows countForever", "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "10s");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("thread " + id + " \"rows\" killed: ThreadKilledError thrown at com.acme.modular.Rows"), kill.toString());
            ChildJvm.Line cleaned = target.awaitEvent("FINALLY");
            assertEquals("com.acme.modular", cleaned.get("in"), "the class ran in its named module: " + cleaned);
        }
    }

    /** The regex frames that run when the agent arrives keep their old code, but a catastrophe keeps calling new ones. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachedWithIncludeJdkARegexCatastropheAlreadyRunningDies(Jdk jdk) {
        try (ChildJvm target = plainTarget(jdk)) {
            String pid = Long.toString(target.pid());
            long id = target.ask("START matcher com.acme.ondemand.Work regexCatastrophe", "STARTED").number("id");
            Cli.Result attach = Cli.run(jdk, "attach", pid, "include-jdk=java.util.regex");
            assertEquals(0, attach.exit, attach.toString());
            Cli.Result kill = Cli.run(jdk, "kill", pid, Long.toString(id), "--wait", "10s");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("thread " + id + " \"matcher\" killed: ThreadKilledError thrown at java.util.regex."), kill.toString());
            assertEquals("matcher", target.awaitEvent("FINALLY").get("name"), target.describe());
            target.send("START checker com.acme.ondemand.Work regexCheck");
            assertTrue(target.awaitEvent("REGEX").flag("ok"), target.describe());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("callbacks")
    void aSelectedCallbackDrivenByALoopNobodySelectedIsKilled(Jdk jdk, String method) {
        try (ChildJvm target = target(jdk, "include=com.acme.callbacks.**;on-demand=none")) {
            long id = target.ask("START callback com.acme.callbacks.Callbacks " + method, "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "10s");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("thread " + id + " \"callback\" killed: ThreadKilledError thrown at com.acme.callbacks.Callbacks.lambda$"),
                    kill.toString());
            assertEquals("callback", target.awaitEvent("FINALLY").get("name"), target.describe());
        }
    }

    static List<Arguments> callbacks() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : TestJdks.all()) {
            cases.add(Arguments.of(jdk, "streamForEach"));
            cases.add(Arguments.of(jdk, "libraryForEach"));
        }
        return cases;
    }

    /** Never skip a handler: a frame that runs old code in its finally block keeps the kill waiting until that block ends. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aFinallyRunningInOldCodeRunsToItsEnd(Jdk jdk) {
        try (ChildJvm target = target(jdk, null)) {
            long id = target.ask("START closer com.acme.ondemand.Work finallyInOldCode", "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "5s");
            assertEquals("closer", target.awaitEvent("RELEASED").get("name"), "the finally ran to its end: " + kill + target.describe());
        }
    }

    /**
     * No swallowing: a catch block in old code cannot raise a kill again, so the kill does not land where it would take
     * it. It waits, says why, and lands once the frame has left that catch's try block.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aCatchAllInOldCodeDoesNotSwallowTheKill(Jdk jdk) {
        try (ChildJvm target = target(jdk, null)) {
            killTheCatcher(jdk, target, false);
        }
    }

    /** Kills a thread in Work.catchesAllInOldCode: the kill waits while its old catch would take it, and lands after. */
    private static void killTheCatcher(Jdk jdk, ChildJvm target, boolean whileRetransformed) {
        long id = target.ask("START catcher com.acme.ondemand.Work catchesAllInOldCode", "STARTED").number("id");
        if (whileRetransformed) {
            target.awaitEvent("RETRANSFORMED");
        }
        Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "1s");
        assertEquals(1, kill.exit, kill.toString());
        assertTrue(kill.out.contains("com.acme.ondemand.Work.catchesAllInOldCode") && kill.out.contains("would catch the kill"),
                kill.toString());
        if (whileRetransformed) {
            await().atMost(Duration.ofSeconds(10)).until(() -> target.events("RETRANSFORMED").size() >= 3);
        }
        assertEquals("catcher", target.awaitEvent("LEFT").get("name"), target.describe());
        assertEquals("catcher", target.awaitEvent("FINALLY").get("name"), target.describe());
        assertEquals("catcher", target.awaitEvent("DIED").get("name"), target.describe());
        assertTrue(target.events("SWALLOWED").isEmpty(), target.describe());
    }

    /**
     * The same, while another agent retransforms the class again and again: the frame still runs the code from before
     * the first retransformation, and its catch must still not swallow the kill.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aCatchAllInOldCodeDoesNotSwallowTheKillWhileAnotherAgentRetransformsItsClass(Jdk jdk) throws IOException {
        try (ChildJvm target = targetBeside(jdk, "RetransformingAgent")) {
            killTheCatcher(jdk, target, true);
            assertTrue(target.events("RETRANSFORM-FAILED").isEmpty(), target.describe());
        }
    }

    /**
     * A class the JVM refuses to retransform (another agent spoils it) runs on as it was, and nothing says otherwise: it
     * is reported once, not counted as instrumented, and the kill does not claim it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aClassTheJvmRefusesToRetransformIsNotTakenForInstrumented(Jdk jdk) throws IOException {
        try (ChildJvm target = targetBeside(jdk, "RejectingAgent")) {
            long id = target.ask("START spinner com.acme.rejecting.Spinner spin", "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "1s");
            assertEquals(1, kill.exit, kill.toString());
            assertFalse(kill.out.contains("com.acme.rejecting.Spinner,") || kill.out.contains("com.acme.rejecting.Spinner)"),
                    "not listed as instrumented on demand: " + kill);
            assertFalse(kill.out.contains("started before its class was instrumented") || kill.out.contains("selected code at com.acme.rejecting"),
                    kill.toString());
            String refused = target.awaitStderr(l -> l.contains("com.acme.rejecting.Spinner could not be retransformed"));
            assertFalse(refused.contains("java.lang."), "a sentence, not an exception's name: " + refused);
            Cli.Result status = Cli.run(jdk, "status", Long.toString(target.pid()));
            assertTrue(status.out.contains("(0 classes instrumented on demand so far)"), status.toString());
            assertTrue(status.out.contains("classes           0 instrumented"), status.toString());
            assertTrue(target.ask("ALIVE? spinner", "ALIVE").flag("alive"), target.describe());
        }
    }

    /** A bare agent's target with one of the fixtures' agents loaded after killswitch. */
    private static ChildJvm targetBeside(Jdk jdk, String otherAgent) throws IOException {
        ChildJvm target = ChildJvm.with(jdk.require()).classPath(Paths.fixtures("ondemand"), Paths.library("commons-collections4.jar"))
                .main(ControlTarget.class).agentAfter(FixtureAgents.jar(otherAgent)).start();
        target.awaitEvent("READY");
        return target;
    }

    /** Do no harm: a kill aimed at work that ends before the kill can land does not fall on the next work of the thread. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillAimedAtWorkThatEndsFirstDoesNotFallOnTheNextWork(Jdk jdk) {
        try (ChildJvm target = target(jdk, null)) {
            long id = target.ask("START worker com.acme.ondemand.Work twoTasks", "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "5s");
            ChildJvm.Line tasks = target.awaitEvent("TASKS");
            assertEquals("worker", tasks.get("name"), tasks.toString());
            assertEquals("1", tasks.get("second"), "the second task ran to its end: " + tasks);
            assertTrue(target.events("DIED").isEmpty(), target.describe());
            assertTrue(kill.out.contains("not delivered: the thread left the selected code the kill was aimed at"
                    + " (com.acme.ondemand.Work.spinFor)"), kill.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aFrameThatCallsNothingIsDiagnosedClearly(Jdk jdk) {
        try (ChildJvm target = target(jdk, null)) {
            long id = target.ask("START spinner com.acme.ondemand.Work callsNothing", "STARTED").number("id");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "1s");
            assertEquals(1, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("thread " + id + " \"spinner\" did not die within 1 s: it is running com.acme.ondemand.Work.callsNothing("),
                    kill.toString());
            assertTrue(kill.out.contains("a frame that started before its class was instrumented on demand"), kill.toString());
            assertTrue(target.ask("ALIVE? spinner", "ALIVE").flag("alive"), target.describe());
        }
    }
}
