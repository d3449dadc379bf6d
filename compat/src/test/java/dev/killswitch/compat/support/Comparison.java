package dev.killswitch.compat.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The two runs of one suite, test by test. */
public final class Comparison {
    private Comparison() {
    }

    /** Every test whose outcome differs between the runs (or that ran in one only), described. */
    public static List<String> differences(Map<String, TestReports.Outcome> plain, Map<String, TestReports.Outcome> agent) {
        Set<String> all = new TreeSet<>(plain.keySet());
        all.addAll(agent.keySet());
        List<String> differences = new ArrayList<>();
        for (String test : all) {
            TestReports.Outcome p = plain.get(test);
            TestReports.Outcome a = agent.get(test);
            if (p != a) {
                differences.add(test + ": " + (p == null ? "not run" : p) + " without the agent, "
                        + (a == null ? "not run" : a) + " with it");
            }
        }
        return differences;
    }

    /** Classes that loaded and linked without the agent but not with it. */
    public static List<String> sweepDifferences(Map<String, String> plain, Map<String, String> agent) {
        List<String> differences = new ArrayList<>();
        plain.forEach((name, outcome) -> {
            String withAgent = agent.get(name);
            if (outcome.startsWith("ok") && (withAgent == null || !withAgent.startsWith("ok"))) {
                differences.add(name + ": " + (withAgent == null ? "not swept" : withAgent) + " with the agent");
            }
        });
        return differences;
    }

    /** Classes with a method body, loaded and linked with the agent, that the agent did not report instrumenting. */
    public static List<String> uninstrumented(Map<String, String> agentSweep, Set<String> instrumented) {
        List<String> missing = new ArrayList<>();
        agentSweep.forEach((name, outcome) -> {
            if (outcome.equals("ok\tcode") && !instrumented.contains(name)) {
                missing.add(name);
            }
        });
        return missing;
    }
}
