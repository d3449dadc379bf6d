package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.it.support.FixtureAgents;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Do no harm beside other agents. The JVM drops whatever a class file transformer throws, so a kill that landed in
 * one would cut the other agent's work short and be lost, the thread running on. And another agent's code runs
 * where the application's does not (inside class loading, in its own loaders): a kill does not instrument it on
 * demand. Here another agent's transformer works over a class the victim loads until the test releases it; the kill is asked for
 * meanwhile.
 */
class OtherAgentsCodeTest {
    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    /** Even where {@code include} selects the other agent's classes, the kill waits for its transformer to return. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillWaitsUntilAnotherAgentsTransformerHasReturned(Jdk jdk) throws IOException {
        try (ChildJvm target = targetBeside(jdk, "include=com.acme.**")) {
            Cli.Result kill = killWhileTransforming(jdk, target);
            assertTrue(kill.out.contains("class file transformer") && kill.out.contains("SlowLoadingAgent"), kill.toString());
            diesAfterTheTransformerReturned(target);
        }
    }

    /** On demand, the kill gives kill points to the application's frames, never to the other agent's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void onDemandAKillLeavesAnotherAgentsCodeAlone(Jdk jdk) throws IOException {
        try (ChildJvm target = targetBeside(jdk, "debug=true")) { // debug: each class instrumented on demand is told
            Cli.Result kill = killWhileTransforming(jdk, target);
            assertTrue(kill.out.contains("com.acme.slowload.Loader"), kill.toString());
            diesAfterTheTransformerReturned(target);
            List<String> onDemand = target.stderr().stream().filter(l -> l.contains("instrumented on demand [")).toList();
            assertTrue(onDemand.stream().anyMatch(l -> l.contains("com.acme.slowload.Loader")), target.describe());
            assertTrue(onDemand.stream().noneMatch(l -> l.contains("com.acme.agents.")),
                    "none of the other agent's classes: " + onDemand);
        }
    }

    private static ChildJvm targetBeside(Jdk jdk, String agentArgs) throws IOException {
        ChildJvm.Builder b = ChildJvm.with(jdk.require()).classPath(Paths.fixtures("ondemand"))
                .main(ControlTarget.class).agentAfter(FixtureAgents.jar("SlowLoadingAgent"));
        ChildJvm target = (agentArgs == null ? b : b.agentArgs(agentArgs)).start();
        target.awaitEvent("READY");
        return target;
    }

    private static Cli.Result killWhileTransforming(Jdk jdk, ChildJvm target) {
        long id = target.ask("START loader com.acme.slowload.Loader loadThenSpin", "STARTED").number("id");
        // Printed by the new thread, maybe before STARTED: looked for among all lines, not after STARTED.
        await().atMost(Duration.ofSeconds(30)).alias("TRANSFORMING:\n" + target.describe())
                .until(() -> !target.events("TRANSFORMING").isEmpty());
        Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "3s");
        assertEquals(1, kill.exit, "not dead within 3 s: the transformer works until released\n" + kill + target.describe());
        target.send("START releaser com.acme.slowload.Loader release");
        return kill;
    }

    private static void diesAfterTheTransformerReturned(ChildJvm target) {
        target.awaitEvent("TRANSFORMED", Duration.ofSeconds(20));
        assertEquals("loader", target.awaitEvent("LOADED").get("name"), target.describe());
        assertEquals("loader", target.awaitEvent("FINALLY").get("name"), target.describe());
        assertEquals("loader", target.awaitEvent("DIED").get("name"), target.describe());
        assertTrue(target.agentLines().stream().noneMatch(l -> l.contains("internal error")), target.describe());
    }
}
