package dev.killswitch.it;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.it.support.ShapeScenario;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Instrumented classes reach the kill-point runtime from any class loader: the system loader, a
 * child-first loader, and a loader whose parent is the platform loader (which cannot see the class
 * path, only the bootstrap path where the runtime lives).
 */
class ClassLoadersTest {

    static Stream<Arguments> cases() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("java17", "java8").flatMap(flavour ->
                Stream.of("system", "child-first", "platform-parent").map(loader -> Arguments.of(jdk, flavour, loader))));
    }

    @ParameterizedTest(name = "{0}, {1} class files, {2} loader")
    @MethodSource("cases")
    void aKillLandsInClassesOfEveryLoader(Jdk jdk, String flavour, String loader) {
        try (ChildJvm child = ShapeScenario.startDriver(jdk.require(), flavour)) {
            for (String shape : new String[] {"whileLoop", "recursionOnly", "synchronizedBlock"}) {
                ShapeScenario.killAndCheck(child, shape, loader, "platform", 10_000);
            }
        }
    }
}
