package dev.killswitch.it;

import dev.killswitch.it.child.SelectionApp;
import dev.killswitch.it.child.ShapeDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only the classes the patterns select get kill points: the debug output lists exactly them, a
 * thread looping in any other class cannot be killed (its kill stays pending), JDK and agent classes
 * are never touched, and selected classes keep exactly their members.
 */
class SelectionTest {
    private static final Pattern INSTRUMENTED = Pattern.compile("killswitch: instrumented (\\S+): ");

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void includeSelectsAPackageAndItsSubpackagesOnly(Jdk jdk) {
        try (ChildJvm child = run(jdk, "include=com.acme.shapes.**;debug=true;on-demand=none")) {
            Set<String> classes = instrumented(child);
            assertTrue(classes.containsAll(Set.of("com.acme.shapes.Shapes", "com.acme.shapes.Shapes$Inner",
                    "com.acme.shapes.Shapes$1", "com.acme.shapes.Shapes$Mode$1", "com.acme.shapes.Shapes$1Local",
                    "com.acme.shapes.Shapes$Spinner")), classes.toString());
            assertTrue(classes.stream().allMatch(c -> c.startsWith("com.acme.shapes.")), classes.toString());
            assertKilled(child.event("SHAPES"));
            assertNotKillable(child.event("WAITS"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void excludeWinsOverInclude(Jdk jdk) {
        try (ChildJvm child = run(jdk, "include=com.acme.**;exclude=com.acme.waits.*,com.acme.shapes.Shapes$Inner;debug=true")) {
            Set<String> classes = instrumented(child);
            assertTrue(classes.contains("com.acme.shapes.Shapes"), classes.toString());
            assertFalse(classes.contains("com.acme.shapes.Shapes$Inner"), classes.toString());
            assertTrue(classes.stream().noneMatch(c -> c.startsWith("com.acme.waits.")), classes.toString());
            assertKilled(child.event("SHAPES"));
            assertNotKillable(child.event("WAITS"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void singleStarIsOnePackageOnly(Jdk jdk) {
        try (ChildJvm child = run(jdk, "include=com.acme.*;debug=true;on-demand=none")) {
            assertEquals(Set.of(), instrumented(child), "com.acme itself holds no class");
            assertNotKillable(child.event("SHAPES"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void jdkAndAgentClassesAreNeverInstrumentedWhateverThePatterns(Jdk jdk) {
        try (ChildJvm child = run(jdk, "include=**,java.util.**;debug=true")) {
            Set<String> classes = instrumented(child);
            assertTrue(classes.contains("com.acme.shapes.Shapes"), classes.toString());
            assertTrue(classes.stream().allMatch(c -> c.startsWith("com.acme.")),
                    "only application classes, no java.*, jdk.*, sun.* or dev.killswitch.*: " + classes);
            assertTrue(child.agentLines().contains("killswitch: include pattern java.util.** matches only JDK or killswitch"
                    + " classes, which are never instrumented"), child.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void selectedClassesKeepExactlyTheirMembers(Jdk jdk) throws IOException {
        ClassNode original = new ClassNode();
        new ClassReader(Files.readAllBytes(Paths.fixtures("java17").resolve("com/acme/shapes/Shapes.class"))).accept(original, 0);
        long methods = original.methods.stream().filter(m -> !m.name.equals("<clinit>")).count();
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**;debug=true")
                .classPath(Paths.fixtures("java17")).main(ShapeDriver.class, Paths.fixtures("java17").toString()).start()) {
            child.awaitEvent("READY");
            ChildJvm.Line members = child.ask("MEMBERS com.acme.shapes.Shapes system", "MEMBERS");
            assertEquals(methods, members.number("methods"), members.toString());
            assertEquals(original.fields.size(), members.number("fields"), members.toString());
            child.ask("START whileLoop system platform", "STARTED");
            assertTrue(child.awaitStderr(l -> l.startsWith("killswitch: instrumented com.acme.shapes.Shapes:"))
                    .contains("(class file 61, per-method switch, numbered call)"));
        }
    }

    private static ChildJvm run(Jdk jdk, String agentArgs) {
        ChildJvm child = ChildJvm.with(jdk.require()).agentArgs(agentArgs).classPath(Paths.fixtures("java17"))
                .main(SelectionApp.class).start();
        assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
        return child;
    }

    private static Set<String> instrumented(ChildJvm child) {
        Set<String> names = new TreeSet<>();
        for (String line : child.agentLines()) {
            Matcher m = INSTRUMENTED.matcher(line);
            if (m.lookingAt()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static void assertKilled(ChildJvm.Line line) {
        assertTrue(line.flag("delivered"), line.toString());
        assertFalse(line.flag("alive"), line.toString());
    }

    /**
     * The thread loops in unselected code (with on-demand=none, or excluded): the kill is not delivered, nothing is left
     * pending, and the thread lives on.
     */
    private static void assertNotKillable(ChildJvm.Line line) {
        assertFalse(line.flag("delivered"), line.toString());
        assertTrue(line.flag("alive"), line.toString());
        assertFalse(line.flag("pending"), line.toString());
        assertTrue(line.get("describe").contains("no selected code on its stack"), line.toString());
    }
}
