package dev.killswitch.it;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.it.support.ShapeScenario;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every loop and recursion shape, compiled for Java 8 and for Java 17, on platform threads and (on
 * JDK 21+) virtual threads, under every JDK given: each victim is killed in a child JVM started with
 * the real agent jar and -Xverify:all.
 */
class KillEveryShapeTest {
    private static final Map<String, ChildJvm> CHILDREN = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() throws Exception {
        List<String> shapes = shapeNames();
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("java17", "java8").flatMap(flavour ->
                Stream.of("platform", "virtual").flatMap(threads ->
                        shapes.stream().map(shape -> Arguments.of(jdk, flavour, threads, shape)))));
    }

    @ParameterizedTest(name = "{0}, {1} class files, {2} thread: {3}")
    @MethodSource("cases")
    void aKillLandsAndCleansUp(Jdk jdk, String flavour, String threads, String shape) {
        jdk.require();
        if (threads.equals("virtual")) {
            jdk.requireAtLeast(21, "virtual threads");
        }
        ChildJvm child = CHILDREN.computeIfAbsent(jdk + "/" + flavour + "/" + threads,
                k -> ShapeScenario.startDriver(jdk, flavour));
        ShapeScenario.killAndCheck(child, shape, "system", threads, 100_000);
    }

    @AfterAll
    static void closeChildren() {
        CHILDREN.values().forEach(ChildJvm::close);
        CHILDREN.clear();
    }

    /** The public static long shape(long) methods of the fixture. */
    static List<String> shapeNames() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {Paths.fixtures("java17").toUri().toURL()}, null)) {
            Method[] methods = Class.forName("com.acme.shapes.Shapes", false, loader).getDeclaredMethods();
            return Arrays.stream(methods)
                    .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 1)
                    .map(Method::getName).sorted().collect(Collectors.toList());
        }
    }
}
