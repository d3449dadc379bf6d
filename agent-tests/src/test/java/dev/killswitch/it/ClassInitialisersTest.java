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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Do no harm to classes: a class whose static initialiser fails is unusable for the life of the JVM, in every thread.
 * So a kill asked while the victim runs a static initialiser (here work in selected code that the initialiser calls,
 * until the test releases it) waits until the initialiser has finished, then lands; the class stays usable by everyone.
 */
class ClassInitialisersTest {
    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    /** The kill waits while selected code the initialiser calls works, and does not land in it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillWaitsForAStaticInitialiserAndTheClassStaysUsable(Jdk jdk) {
        killDuringInitialisation(jdk, "initialiseThenSpin", "useTheInitialisedClass", true);
    }

    /** Nor does it wake an initialiser that waits in code that would fail on the interrupt. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillDoesNotWakeAStaticInitialiserThatWaits(Jdk jdk) {
        killDuringInitialisation(jdk, "initialiseSleepyThenSpin", "useTheSleepyClass", false);
    }

    /** The kill of a callWithDeadline that overran inside an initialiser is caught there: it does not wait. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aDeadlineInsideAStaticInitialiserStillEndsItsTask(Jdk jdk) {
        try (ChildJvm target = ChildJvm.with(jdk.require()).classPath(Paths.fixtures("ondemand")).main(ControlTarget.class)
                .agentArgs("include=com.acme.slowload.**").start()) {
            target.awaitEvent("READY");
            target.send("START first com.acme.slowload.Loader useTheDeadlineClass");
            assertEquals("-1", target.awaitEvent("USED", Duration.ofSeconds(20)).get("value"),
                    "the task was ended at its deadline and the initialiser went on:\n" + target.describe());
            target.send("START second com.acme.slowload.Loader useTheDeadlineClass");
            assertEquals("-1", target.awaitEvent("USED").get("value"), target.describe());
            assertTrue(target.events("DIED").isEmpty(), target.describe());
        }
    }

    private static void killDuringInitialisation(Jdk jdk, String victim, String user, boolean atAKillPoint) {
        try (ChildJvm target = ChildJvm.with(jdk.require()).classPath(Paths.fixtures("ondemand")).main(ControlTarget.class)
                .agentArgs("include=com.acme.slowload.**").start()) {
            target.awaitEvent("READY");
            long id = target.ask("START initialiser com.acme.slowload.Loader " + victim, "STARTED").number("id");
            // Printed by the new thread, maybe before STARTED: looked for among all lines, not after STARTED.
            await().atMost(Duration.ofSeconds(30)).alias("INITIALISING:\n" + target.describe())
                    .until(() -> !target.events("INITIALISING").isEmpty());
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "3s");
            assertEquals(1, kill.exit, "not dead: the initialiser works until released\n" + kill + target.describe());
            if (atAKillPoint) {
                assertTrue(kill.out.contains("static initialiser") && kill.out.contains("com.acme.slowload.SlowInit"), kill.toString());
            }
            target.send("START releaser com.acme.slowload.Loader release");
            assertEquals("true", target.awaitEvent("INITIALISED", Duration.ofSeconds(20)).get("value"), target.describe());
            assertEquals("initialiser", target.awaitEvent("FINALLY").get("name"), target.describe());
            assertEquals("initialiser", target.awaitEvent("DIED").get("name"), target.describe());
            target.send("START user com.acme.slowload.Loader " + user);
            assertEquals("true", target.awaitEvent("USED").get("value"), "the class is usable after the kill:\n" + target.describe());
        }
    }
}
