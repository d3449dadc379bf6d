package dev.killswitch.integrations.scripts;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The child JVM running {@code com.acme.scripts.ScriptHost}, and the checks every killed runaway must pass. */
final class ScriptHostChild {
    private static final Duration ANSWER = Duration.ofSeconds(90);

    private ScriptHostChild() {
    }

    /** Starts the host with those engines, under the agent with {@code agentArgs}, or without the agent if null. */
    static ChildJvm start(Jdk jdk, String agentArgs, String... engines) {
        ChildJvm.Builder b = ChildJvm.with(jdk.require())
                .jvmArgs("-Duser.language=en", "-Duser.country=US", "-Xmx512m") // English log texts; a bounded heap
                .classPath(Paths.engineClassPath())
                .main("com.acme.scripts.ScriptHost", engines);
        ChildJvm host = (agentArgs == null ? b.withoutAgent() : b.agentArgs(agentArgs)).start();
        host.awaitEvent("READY", ANSWER);
        return host;
    }

    /** Runs a runaway script, kills it once it runs, and returns the host's account of it. */
    static ChildJvm.Line runaway(ChildJvm host, String engine, String script, long depth) {
        host.send("runaway " + engine + " " + script + " 30 " + depth);
        return host.awaitEvent("RUNAWAY", ANSWER);
    }

    static ChildJvm.Line free(ChildJvm host, String engine, String script) {
        host.send("free " + engine + " " + script + " 60");
        return host.awaitEvent("FREE", ANSWER);
    }

    static ChildJvm.Line check(ChildJvm host, String engine) {
        host.send("check " + engine);
        return host.awaitEvent("CHECK", ANSWER);
    }

    static ChildJvm.Line bench(ChildJvm host, String engine, long n) {
        host.send("bench " + engine + " " + n);
        return host.awaitEvent("BENCH", ANSWER);
    }

    /**
     * The kill ended the script: it was delivered, the host's call site got the ThreadKilledError, the same engine
     * then answered {@code 1 + 2}, and the agent logged the kill.
     */
    static void assertKilledAndNextRuns(ChildJvm host, ChildJvm.Line r) {
        String what = r + "\n" + host.describe();
        assertTrue(r.flag("started"), "the script said it runs: " + what);
        assertTrue(r.flag("ended"), "the script ended after the kill: " + what);
        assertEquals("DELIVERED", r.get("status"), what);
        assertTrue(r.flag("killed"), "the host caught the kill (or the engine's wrapper of it): " + what);
        assertEquals("3", r.get("next"), "the same engine runs the next script: " + what);
        String engine = r.get("engine");
        String script = r.get("script");
        host.awaitStderr(l -> l.startsWith("WARNING: killswitch: kill of thread ") && l.contains("\"script-worker-" + engine + "\"")
                && l.contains(" delivered after ") && l.endsWith("reason: runaway script " + script + ")"));
    }

    /** Every small correct script gave its known answer on that engine. */
    static void assertChecksPass(ChildJvm host, ChildJvm.Line c) {
        assertEquals("", c.get("failures"), c + "\n" + host.describe());
    }

    static String figure(ChildJvm.Line r) {
        return "kill -> end of evaluation " + r.get("killMs") + " ms (delivered after " + r.get("latencyMs") + " ms, at "
                + r.get("deliveredAt") + ")";
    }
}
