package dev.killswitch.compat;

import dev.killswitch.compat.support.Comparison;
import dev.killswitch.compat.support.CompatReport;
import dev.killswitch.compat.support.Library;
import dev.killswitch.compat.support.SuiteRun.Mode;
import dev.killswitch.compat.support.SuiteRun;
import dev.killswitch.compat.support.TestReports.Outcome;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Published libraries' own test suites, run by the JUnit Platform console launcher in a child JVM under
 * {@code -Xverify:all}, once without the agent and once with it selecting every class of the library and of its
 * tests. With the agent the same tests must pass, no class may fail verification, the transformer may give up on no
 * class, every class with a method body must come out instrumented, and a thread spinning in a loop of the library
 * must be killed halfway through the suite, by a kill point in the library's own code.
 */
class CompatibilityTest {

    static Stream<Arguments> suites() {
        List<Arguments> suites = new ArrayList<>();
        for (Jdk jdk : TestJdks.all()) {
            for (Library library : Library.selected()) {
                if (library.hasSuite()) {
                    suites.add(Arguments.of(jdk, library));
                }
            }
        }
        return suites.stream();
    }

    static Stream<Arguments> jars() {
        List<Arguments> jars = new ArrayList<>();
        for (Jdk jdk : TestJdks.all()) {
            for (Library library : Library.selected()) {
                if (!library.hasSuite()) {
                    jars.add(Arguments.of(jdk, library));
                }
            }
        }
        return jars.stream();
    }

    /**
     * Published jars without a suite here: every class of them is loaded and linked under {@code -Xverify:all}, once
     * without the agent and once with it selecting each of their packages.
     */
    @ParameterizedTest(name = "{1} on {0}", allowZeroInvocations = true)
    @MethodSource("jars")
    void everyClassOfAPublishedJarVerifiesWithTheAgent(Jdk jdk, Library library) throws IOException {
        jdk.require();
        SuiteRun plain = SuiteRun.run(jdk, library, Mode.PLAIN);
        SuiteRun agent = SuiteRun.run(jdk, library, Mode.AGENT);
        List<String> verifyErrors = new ArrayList<>(plain.verifyErrors());
        verifyErrors.addAll(agent.verifyErrors());
        List<String> givenUp = agent.givenUp();
        CompatReport.addJar(jdk, plain, agent, givenUp.size(), verifyErrors.size());
        String where = " (the runs are in " + plain.dir().getParent() + ")";
        assertAll(library + " on " + jdk,
                () -> assertEquals("true", agent.result("agent.active"), "the agent accepted its arguments" + where),
                () -> assertTrue(plain.number("sweep.classes") > 100 && plain.number("sweep.failed") < plain.number("sweep.classes") / 10,
                        "the jar's classes did not load without the agent" + where),
                () -> assertEquals(List.of(), limit(Comparison.sweepDifferences(plain.sweep(), agent.sweep())),
                        "classes that load and link only without the agent" + where),
                () -> assertEquals(List.of(), limit(verifyErrors), "VerifyErrors" + where),
                () -> assertEquals(List.of(), givenUp, "classes or methods the agent left without kill points" + where),
                () -> assertEquals(List.of(), limit(Comparison.uninstrumented(agent.sweep(), agent.instrumentedClasses())),
                        "classes with code the agent did not instrument" + where));
    }

    @ParameterizedTest(name = "{1} on {0}", allowZeroInvocations = true)
    @MethodSource("suites")
    void theSameTestsPassWithTheAgent(Jdk jdk, Library library) throws IOException {
        jdk.require();
        SuiteRun plain = SuiteRun.run(jdk, library, Mode.PLAIN);
        SuiteRun agent = SuiteRun.run(jdk, library, Mode.AGENT);

        List<String> differences = Comparison.differences(plain.tests(), agent.tests());
        List<String> sweepDifferences = Comparison.sweepDifferences(plain.sweep(), agent.sweep());
        List<String> uninstrumented = Comparison.uninstrumented(agent.sweep(), agent.instrumentedClasses());
        List<String> givenUp = agent.givenUp();
        List<String> verifyErrors = new ArrayList<>(plain.verifyErrors());
        verifyErrors.addAll(agent.verifyErrors());
        List<String> failingInBoth = plain.tests().entrySet().stream()
                .filter(e -> e.getValue() == Outcome.FAILED && agent.tests().get(e.getKey()) == Outcome.FAILED)
                .map(e -> e.getKey()).toList();
        CompatReport.add(jdk, plain, agent, givenUp.size(), verifyErrors.size(), failingInBoth);

        String where = " (the runs are in " + plain.dir().getParent() + ")";
        assertAll(library + " on " + jdk,
                () -> assertEquals("true", agent.result("agent.active"), "the agent accepted its arguments" + where),
                // the suite really ran, both times
                () -> assertTrue(plain.tests().size() >= library.minimumTests(),
                        "only " + plain.tests().size() + " tests ran without the agent; expected at least " + library.minimumTests() + where),
                () -> assertTrue(plain.count(Outcome.PASSED) > 0, "no test passed without the agent" + where),
                () -> assertEquals(plain.number("suite.found"), agent.number("suite.found"), "tests found" + where),
                // the same tests pass, test by test
                () -> assertEquals(List.of(), limit(differences), differences.size() + " tests differ" + where),
                // every class loads and links as before, and the verifier accepts every instrumented class
                () -> assertEquals(List.of(), limit(sweepDifferences), "classes that load and link only without the agent" + where),
                () -> assertEquals(List.of(), limit(verifyErrors), "VerifyErrors" + where),
                // the transformer gave up on nothing, and instrumented every class with a method body
                () -> assertEquals(List.of(), givenUp, "classes or methods the agent left without kill points" + where),
                () -> assertEquals(List.of(), limit(uninstrumented), "classes with code the agent did not instrument" + where),
                () -> assertEquals("registered", agent.result("agent.mxbean"), where),
                () -> assertTrue(agent.number("agent.InstrumentedClasses") >= agent.instrumentedClasses().size(),
                        "the MXBean counts fewer instrumented classes than the agent reported" + where),
                // the kill points are live: the spinner died halfway through the suite, in the library's own loop
                () -> assertEquals("midway", agent.result("kill.during"), "the kill came halfway through the suite" + where),
                () -> assertTrue(agent.number("kill.roundsBefore") > 0, "the spinner was spinning when killed" + where),
                () -> assertEquals("true", agent.result("kill.delivered"), "kill delivered" + where),
                () -> assertEquals("dev.killswitch.ThreadKilledError", agent.result("kill.spinnerDiedOf"), "the spinner died of" + where),
                () -> assertTrue(agent.result("kill.deliveredAt").startsWith(agent.result("kill.loopPackage")),
                        "the kill landed in the library's code, not at " + agent.result("kill.deliveredAt") + where),
                // and without the agent the same request is refused, and the spinner is stopped by its loop
                () -> assertEquals("AGENT_INACTIVE", plain.result("kill.statusRequested"), where),
                () -> assertEquals("none", plain.result("kill.spinnerDiedOf"), where),
                () -> assertEquals("true", plain.result("kill.spinnerEnded"), where));
    }

    private static List<String> limit(List<String> items) {
        return items.size() <= 50 ? items : List.copyOf(items.subList(0, 50));
    }
}
