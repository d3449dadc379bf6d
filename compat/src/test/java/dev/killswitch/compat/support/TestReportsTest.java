package dev.killswitch.compat.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The harness's own logic: reading the reports, and telling two runs apart. */
class TestReportsTest {

    private static final String REPORT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="JUnit Vintage" tests="4" skipped="1" failures="1" errors="1">
            <properties><property name="java.version" value="17"/></properties>
            <testcase name="testAdd" classname="org.acme.ListTest" time="0">
            <system-out><![CDATA[
            unique-id: [engine:junit-vintage]/[runner:org.acme.ListTest]/[test:testAdd(org.acme.ListTest)]
            display-name: testAdd
            ]]></system-out>
            </testcase>
            <testcase name="testAdd" classname="org.acme.AbstractTest$Nested" time="0">
            <failure message="boom" type="java.lang.AssertionError">java.lang.AssertionError: boom</failure>
            <system-out><![CDATA[
            unique-id: [engine:junit-vintage]/[runner:org.acme.MapTest]/[test:bulk]/[test:testAdd(org.acme.AbstractTest$Nested)]
            display-name: testAdd
            ]]></system-out>
            </testcase>
            <testcase name="testIo" classname="org.acme.IoTest" time="0">
            <error message="x" type="java.io.IOException">java.io.IOException: x</error>
            </testcase>
            <testcase name="testLater" classname="org.acme.IoTest" time="0">
            <skipped/>
            </testcase>
            </testsuite>
            """;

    @Test
    void readsEachTestByItsUniqueIdWithItsOutcome(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("TEST-junit-vintage.xml"), REPORT);
        Map<String, TestReports.Outcome> tests = TestReports.read(dir);
        assertEquals(Map.of(
                "[engine:junit-vintage]/[runner:org.acme.ListTest]/[test:testAdd(org.acme.ListTest)]", TestReports.Outcome.PASSED,
                "[engine:junit-vintage]/[runner:org.acme.MapTest]/[test:bulk]/[test:testAdd(org.acme.AbstractTest$Nested)]",
                TestReports.Outcome.FAILED,
                "org.acme.IoTest#testIo", TestReports.Outcome.FAILED,
                "org.acme.IoTest#testLater", TestReports.Outcome.SKIPPED), tests);
    }

    @Test
    void aTestThatPassesOnlyWithoutTheAgentIsADifference() {
        Map<String, TestReports.Outcome> plain = Map.of("a", TestReports.Outcome.PASSED, "b", TestReports.Outcome.PASSED,
                "c", TestReports.Outcome.FAILED);
        Map<String, TestReports.Outcome> agent = Map.of("a", TestReports.Outcome.PASSED, "b", TestReports.Outcome.FAILED,
                "d", TestReports.Outcome.PASSED);
        assertEquals(List.of("b: PASSED without the agent, FAILED with it", "c: FAILED without the agent, not run with it",
                "d: not run without the agent, PASSED with it"), Comparison.differences(plain, agent));
        assertEquals(List.of(), Comparison.differences(plain, plain));
    }

    @Test
    void classesThatLinkOnlyWithoutTheAgentOrWereNotInstrumentedAreFound() {
        Map<String, String> plain = Map.of("A", "ok\tcode", "B", "ok\tcode", "C", "java.lang.NoClassDefFoundError: x");
        Map<String, String> agent = Map.of("A", "ok\tcode", "B", "java.lang.VerifyError: Bad type", "C", "java.lang.NoClassDefFoundError: x");
        assertEquals(List.of("B: java.lang.VerifyError: Bad type with the agent"), Comparison.sweepDifferences(plain, agent));
        Map<String, String> swept = Map.of("A", "ok\tcode", "I", "ok\tnocode", "C", "java.lang.NoClassDefFoundError: x");
        assertEquals(List.of("A"), Comparison.uninstrumented(swept, Set.of("B")));
        assertEquals(List.of(), Comparison.uninstrumented(swept, Set.of("A")));
    }
}
