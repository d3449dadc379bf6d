package dev.killswitch.bench;

import dev.killswitch.runtime.registry.InstrumentedClasses;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks still run and still compare what they claim to; no timing is asserted. */
class BenchmarkSmokeTest {

    @Test
    void bothVariantsComputeTheSameAndOnlyTheKillableOneHasKillPoints() {
        for (String kernel : Kernels.ALL.keySet()) {
            LongSupplier original = Kernels.create(kernel, false);
            LongSupplier killable = Kernels.create(kernel, true);
            assertNotSame(original.getClass(), killable.getClass(), kernel);
            assertEquals(original.getAsLong(), killable.getAsLong(), kernel);
        }
        assertTrue(InstrumentedClasses.contains("com.acme.kernels.Fft"));
        assertTrue(InstrumentedClasses.contains("org.apache.commons.math3.transform.FastFourierTransformer"),
                "the library is instrumented whole");
        assertFalse(InstrumentedClasses.contains("dev.killswitch.bench.Kernels"));
    }

    @Test
    void theWorkloadsRunAndCheckTheirOwnOutput() throws Exception {
        // The first operation, then one timed: each checks its own result and that both give the same checksum.
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            com.acme.workloads.Workload.main(new String[] {"jackson", "0", "0"});
        } finally {
            System.setOut(stdout);
        }
        String result = printed.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
        stdout.println(result);
        // The JIT's code at its peak: the profiled heap (tiered, segmented code cache: the default) within all of it.
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\tprofiledCodeKb=(\\d+)\tcodeKb=(\\d+)$").matcher(result);
        assertTrue(code.find(), result);
        assertTrue(Long.parseLong(code.group(1)) > 0 && Long.parseLong(code.group(1)) < Long.parseLong(code.group(2)), result);
        com.acme.workloads.Workload.main(new String[] {"commons-math", "0", "0"});
        double[] r = WorkloadReport.ratio(java.util.List.of(10.0, 11.0, 9.0), java.util.List.of(20.0, 22.0, 18.0));
        assertEquals(2.0, r[0], 1e-9);
        assertTrue(r[1] < 2.0 && r[2] > 2.0);
    }

    @Test
    void theLatencyFloorProbeDeoptimisesItsSpinner() throws Throwable {
        // It throws if the spinner never meets the new target: the setTarget must reach compiled code.
        String line = FloorProbe.measure(1);
        assertTrue(line.matches("RESULT\tn=1\tsample=\\d+\\.\\d{3}\tdeopt=\\d+\\.\\d{3}\tp50=\\d+\\.\\d{3}\tp99=\\d+\\.\\d{3}"), line);
    }

    @Test
    void theLatencyProbesCanGiveTheirJvmMoreCompiledCode() throws Throwable {
        int before = CompiledCode.nmethods();
        assertTrue(before > 0, "the JVM says how many methods it has compiled: " + before);
        CompiledCode.add(300);
        int after = CompiledCode.nmethods();
        // How many of the 300 the JIT compiles depends on its queue; the latency section prints the count it reached.
        assertTrue(after > before, "the JIT compiled the methods it ran: " + before + " before, " + after + " after");
    }

    @Test
    void theProbesAndWorkloadsRunByHandSayWhatIsWrongWithABadArgument() throws Exception {
        String[][] cases = {
            {FloorProbe.class.getName(), "10", "lots"},
            {"floor probe: the number of methods to have compiled first is a whole number, 0 or more, not \"lots\"\n"
                    + "usage: FloorProbe TRIALS [MORE_METHODS]"},
            {FloorProbe.class.getName()},
            {"floor probe: the number of trials is missing\nusage: FloorProbe TRIALS [MORE_METHODS]"},
            {FloorProbe.class.getName(), "10", "100", "extra"},
            {"floor probe: there is no argument after the first 2, not \"extra\"\n"
                    + "usage: FloorProbe TRIALS [MORE_METHODS]"},
            {LatencyProbe.class.getName(), "hot", "0", "isolated"},
            {"latency probe: the number of trials is a whole number, 1 or more, not \"0\"\n"
                    + "usage: LatencyProbe hot|recursion|deep|longLoop TRIALS isolated|succession|first [MORE_METHODS]"},
            {LatencyProbe.class.getName(), "warm", "10", "isolated"},
            {"latency probe: the case is hot, recursion, deep or longLoop, not \"warm\"\n"
                    + "usage: LatencyProbe hot|recursion|deep|longLoop TRIALS isolated|succession|first [MORE_METHODS]"},
            {StormProbe.class.getName(), "10", "10", "sam", "kill"},
            {"storm probe: the victims' method is same or other, not \"sam\"\n"
                    + "usage: StormProbe RATE SECONDS same|other kill|stop [WARM-UP_SECONDS]"},
            {StormProbe.class.getName(), "0", "10", "same", "kill"},
            {"storm probe: the rate, in kills a second, is a whole number, 1 or more, not \"0\"\n"
                    + "usage: StormProbe RATE SECONDS same|other kill|stop [WARM-UP_SECONDS]"},
            {"com.acme.workloads.Workload", "jackon", "10", "10"},
            {"workload: the workload is kotlinc, jackson or commons-math, not \"jackon\"\n"
                    + "usage: Workload kotlinc|jackson|commons-math WARM-UP_SECONDS SECONDS [kotlinc: SOURCES_JAR FOLDER]"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            assertEquals(cases[i + 1][0], printedBy(2, null, cases[i]));
        }
    }

    @Test
    void theIdleSectionsDoNothingAgentIsAnAgent() throws Exception {
        assertEquals("any agent started: true", printedBy(0, Environment.anyAgentJar().toString(), AnyAgent.class.getName()));
    }

    @Test
    void theIdleSectionRunsOneForkOfEachColumnInTurn() {
        // Columns run minutes apart on a shared machine differ by more than the kill points cost: they must alternate.
        java.util.List<String> order = new java.util.ArrayList<>();
        for (String[] run : IdleReport.plan(java.util.List.of("a", "b"), 2)) {
            order.add(run[0] + "/" + run[1]);
        }
        assertEquals(java.util.List.of("a/original", "a/any agent", "a/killable", "a/original", "a/any agent", "a/killable",
                "b/original", "b/any agent", "b/killable", "b/original", "b/any agent", "b/killable"), order);
    }

    @Test
    void theDoNothingAgentBuildsStringsWhenAskedAndSaysSoOfABadArgument() throws Exception {
        assertEquals(3 * 10 * "name-0,".length(), AnyAgent.buildStrings(3));
        for (String[] c : new String[][] {{"strings=3", "any agent started: true, built strings of 210 chars"},
                {"strings=many", "any agent: its one argument is strings=N, a whole number of strings to build, not \"strings=many\"\n"
                        + "any agent started: true"}}) {
            assertEquals(c[1], printedBy(0, Environment.anyAgentJar() + "=" + c[0], AnyAgent.class.getName()));
        }
    }

    @Test
    void oneIterationOfTheIdleBenchmarkRuns() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(IdleOverhead.class.getName())
                .param("kernel", "fibonacci")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .build()).run();
        assertEquals(2, results.size());
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString());
        }
    }

    /**
     * Runs {@code mainAndArgs} in a child JVM on this class path, under the agent {@code agent} (a jar, with its
     * argument) if not null; checks its exit status and returns what it printed, trimmed, with Unix line ends.
     */
    private static String printedBy(int status, String agent, String... mainAndArgs) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(Environment.java()));
        if (agent != null) {
            command.add("-javaagent:" + agent);
        }
        command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path")));
        command.addAll(java.util.List.of(mainAndArgs));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertEquals(status, child.waitFor(), printed);
        return printed.replace("\r\n", "\n");
    }
}
