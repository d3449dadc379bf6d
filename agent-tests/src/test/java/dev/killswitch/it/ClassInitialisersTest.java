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

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillWaitsForAStaticInitialiserAndTheClassStaysUsable(Jdk jdk) {
        try (ChildJvm target = ChildJvm.with(jdk.require()).classPath(Paths.fixtures("ondemand")).main(ControlTarget.class)
                .agentArgs("include=com.acme.slowload.**").start()) {
            target.awaitEvent("READY");
            long id = target.ask("START initialiser com.acme.slowload.Loader initialiseThenSpin", "STARTED").number("id");
            target.awaitEvent("INITIALISING");
            Cli.Result kill = Cli.run(jdk, "kill", Long.toString(target.pid()), Long.toString(id), "--wait", "1s");
            assertEquals(1, kill.exit, "not dead within 1 s: the initialiser works until released\n" + kill + target.describe());
            assertTrue(kill.out.contains("static initialiser") && kill.out.contains("com.acme.slowload.SlowInit"), kill.toString());
            target.send("START releaser com.acme.slowload.Loader release");
            assertEquals("true", target.awaitEvent("INITIALISED", Duration.ofSeconds(20)).get("value"), target.describe());
            assertEquals("initialiser", target.awaitEvent("FINALLY").get("name"), target.describe());
            assertEquals("initialiser", target.awaitEvent("DIED").get("name"), target.describe());
            target.send("START user com.acme.slowload.Loader useTheInitialisedClass");
            assertEquals("true", target.awaitEvent("USED").get("value"), "the class is usable after the kill:\n" + target.describe());
        }
    }
}
