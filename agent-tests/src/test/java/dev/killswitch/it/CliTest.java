package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.it.child.PlainApp;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.it.support.OpenSockets;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command-line tool, run as a user runs it ({@code java -jar killswitch-agent.jar COMMAND PID ...})
 * against a JVM started with the agent: its output and its exit code.
 */
class CliTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void threadsStatusAndKillByIdAndByName(Jdk jdk) {
        try (ChildJvm target = JmxControlTest.target(jdk)) {
            String pid = Long.toString(target.pid());
            long victim = target.ask("START victim com.acme.control.Runaways spin", "STARTED").number("id");
            target.ask("START batch-1 com.acme.shapes.Shapes whileLoop", "STARTED");
            target.ask("START batch-2 com.acme.control.Runaways callLoop", "STARTED");

            Cli.Result threads = Cli.run(jdk, "threads", pid);
            assertEquals(0, threads.exit, threads.toString());
            assertTrue(threads.out.matches("(?s)\\s+ID  STATE\\s+SEL  NAME\\s+WHERE\n.*"), threads.toString());
            assertTrue(threads.out.matches("(?s).*\n\\s+" + victim + "  RUNNABLE\\s+\\*\\s+victim\\s+com\\.acme\\.control\\.Runaways\\.spin\\(Runaways\\.java:\\d+\\)\n.*"),
                    threads.toString());
            assertTrue(threads.out.matches("(?s).*\n\\d+ threads, [3-9] in selected code .*"), threads.toString());

            Cli.Result status = Cli.run(jdk, "status", pid);
            assertEquals(0, status.exit, status.toString());
            assertTrue(status.out.matches("(?s)killswitch \\S+ in JVM " + pid + ": active\n  include           com\\.acme\\.\\*\\*\n.*"), status.toString());
            assertTrue(status.out.contains("  kills             0 requested, 0 delivered, 0 pending"), status.toString());

            Cli.Result kill = Cli.run(jdk, "kill", pid, Long.toString(victim), "--reason", "stuck report");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.matches("thread " + victim + " \"victim\" killed: ThreadKilledError thrown at "
                    + "com\\.acme\\.control\\.Runaways\\.spin\\(Runaways\\.java:\\d+\\), \\d+\\.\\d\\d ms after the request; the thread has ended"),
                    kill.toString());
            ChildJvm.Line died = target.awaitEvent("DIED");
            assertEquals("Thread killed by killswitch: stuck report", died.get("message"), died.toString());

            Cli.Result byName = Cli.run(jdk, "kill", pid, "batch-.*", "--wait", "10s");
            assertEquals(0, byName.exit, byName.toString());
            assertEquals(2, byName.out.lines().filter(l -> l.matches("thread \\d+ \"batch-[12]\" killed: .* the thread has ended")).count(),
                    byName.toString());
            assertEquals(Set.of("batch-1", "batch-2"), Set.of(target.awaitEvent("DIED").get("name"), target.awaitEvent("DIED").get("name")));

            Cli.Result after = Cli.run(jdk, "status", pid);
            assertTrue(after.out.contains("  kills             3 requested, 3 delivered, 0 pending"), after.toString());
            assertTrue(after.out.matches("(?s).*\n  delivery latency  p50 \\d+\\.\\d\\d ms, p99 .*"), after.toString());
        }
    }

    /** What a security review asks: the tool leaves no port open in the JVM, starts no JMX there, and only its user gets in. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theCommandsOpenNoPortAndStartNoJmx(Jdk jdk) throws Exception {
        assumeTrue(OpenSockets.readable(), "the open sockets are read from /proc, which this system does not have");
        Path folder;
        try (ChildJvm target = JmxControlTest.target(jdk)) {
            String pid = Long.toString(target.pid());
            assertEquals(Set.of(), OpenSockets.listeningTcp(target.pid()), "before any command");
            long victim = target.ask("START victim com.acme.control.Runaways spin", "STARTED").number("id");
            for (String[] command : List.of(new String[] {"status", pid}, new String[] {"threads", pid},
                    new String[] {"cancel", pid, Long.toString(victim)}, new String[] {"kill", pid, Long.toString(victim)})) {
                Cli.Result r = Cli.run(jdk, command);
                assertTrue(r.exit == 0 || command[0].equals("cancel") && r.exit == 1, r.toString());
                assertEquals(Set.of(), OpenSockets.listeningTcp(target.pid()), "after " + String.join(" ", command));
            }
            Cli.Result threads = Cli.run(jdk, "threads", pid);
            assertFalse(threads.out.contains("RMI"), "no RMI thread in the target: " + threads);
            assertTrue(threads.out.contains("killswitch-commands"), threads.toString());
            folder = Path.of(System.getProperty("java.io.tmpdir"), ".killswitch-" + pid);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            target.send("EXIT");
            assertEquals(0, target.awaitExit(Duration.ofSeconds(60)), target.describe());
        }
        assertFalse(Files.exists(folder), "the JVM's channel goes with it");
    }

    /** A JVM killed with SIGKILL cannot remove its folder; the next JVM with the agent does. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theFolderOfAJvmThatWasKilledIsRemovedByTheNext(Jdk jdk) {
        Path folder;
        try (ChildJvm killed = JmxControlTest.target(jdk)) {
            folder = Path.of(System.getProperty("java.io.tmpdir"), ".killswitch-" + killed.pid());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(folder.resolve("control")));
        } // destroyed forcibly
        assertTrue(Files.exists(folder), "SIGKILL leaves it");
        try (ChildJvm next = JmxControlTest.target(jdk)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(folder));
            assertEquals(0, Cli.run(jdk, "status", Long.toString(next.pid())).exit);
        }
    }

    /** Scripts read one JSON object per command, with the same exit codes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void scriptsReadJson(Jdk jdk) {
        try (ChildJvm target = JmxControlTest.target(jdk)) {
            String pid = Long.toString(target.pid());
            long victim = target.ask("START victim com.acme.control.Runaways spin", "STARTED").number("id");

            Cli.Result status = Cli.run(jdk, "status", pid, "--json");
            assertEquals(0, status.exit, status.toString());
            assertTrue(status.out.startsWith("{\"pid\":" + pid + ",\"version\":"), status.toString());
            assertTrue(status.out.contains("\"active\":true,\"include\":[\"com.acme.**\"],\"exclude\":[]"), status.toString());
            assertTrue(status.out.contains("\"deliveryLatencyMillis\":{\"p50\":null,"), "no latency before a kill: " + status);

            Cli.Result threads = Cli.run(jdk, "threads", pid, "--json");
            assertEquals(0, threads.exit, threads.toString());
            assertTrue(threads.out.contains("{\"id\":" + victim + ",\"name\":\"victim\",\"state\":\"RUNNABLE\",\"virtual\":false,"
                    + "\"inSelectedCode\":true,\"where\":\"com.acme.control.Runaways.spin("), threads.toString());

            Cli.Result kill = Cli.run(jdk, "kill", pid, Long.toString(victim), "--json");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.startsWith("{\"pid\":" + pid + ",\"exitCode\":0,\"kills\":[{\"threadId\":" + victim
                    + ",\"threadName\":\"victim\",\"status\":\"DELIVERED\","), kill.toString());
            assertTrue(kill.out.contains("\"summary\":\"thread " + victim + " \\\"victim\\\" killed: ThreadKilledError thrown at"), kill.toString());

            Cli.Result none = Cli.run(jdk, "cancel", pid, Long.toString(ProcessHandle.current().pid() + 987654321L), "--json");
            assertEquals(6, none.exit, none.toString());
            assertTrue(none.err.startsWith("killswitch: no live thread with id"), none.toString());
        }
    }

    /** A batch job whose main thread waits for the victim and then ends the JVM: the kill worked, and the tool says so. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aKillThatEndsItsJvmIsASuccess(Jdk jdk) {
        try (ChildJvm target = JmxControlTest.target(jdk)) {
            String pid = Long.toString(target.pid());
            target.ask("START job com.acme.control.Runaways spin", "STARTED");
            target.ask("EXIT-AFTER job", "WAITING");
            Cli.Result kill = Cli.run(jdk, "kill", pid, "job");
            assertEquals(0, kill.exit, kill.toString());
            assertTrue(kill.out.matches("(?s)(thread \\d+ \"job\" killed: .*|JVM " + pid + " ended while the kill was followed: .*)"),
                    kill.toString());
            assertEquals("", kill.err, kill.toString());
            assertEquals(0, target.awaitExit(Duration.ofSeconds(60)), target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aThreadThatDoesNotDieExitsOneAndSaysWhy(Jdk jdk) {
        try (ChildJvm target = JmxControlTest.target(jdk)) {
            String pid = Long.toString(target.pid());
            long regex = target.ask("START regex com.acme.control.Runaways backtrack", "STARTED").number("id");
            long holder = target.ask("START holder com.acme.blocking.MonitorCase hold", "STARTED").number("id");
            target.askUntil("ALIVE? holder", "ALIVE", l -> l.get("state").equals("TIMED_WAITING"), Duration.ofSeconds(10));
            long blocked = target.ask("START blocked com.acme.blocking.MonitorCase enter", "STARTED").number("id");
            target.askUntil("ALIVE? blocked", "ALIVE", l -> l.get("state").equals("BLOCKED"), Duration.ofSeconds(10));

            Cli.Result inRegex = Cli.run(jdk, "kill", pid, Long.toString(regex), "--wait", "1s");
            assertEquals(1, inRegex.exit, inRegex.toString());
            assertTrue(inRegex.out.matches("thread " + regex + " \"regex\" did not die within 1 s: it is in the JDK's regular expressions at "
                    + "\\S*java\\.util\\.regex\\.Pattern\\S+, which have no kill points unless asked for"
                    + " \\(include-jdk=java\\.util\\.regex lets a kill land there\\), called from selected code at com\\.acme\\.control\\.Runaways\\.backtrack\\(.*"),
                    inRegex.toString());

            Cli.Result onMonitor = Cli.run(jdk, "kill", pid, Long.toString(blocked), "--wait=500ms");
            assertEquals(1, onMonitor.exit, onMonitor.toString());
            assertTrue(onMonitor.out.contains("thread " + blocked + " \"blocked\" did not die within 500 ms: it is BLOCKED"), onMonitor.toString());
            assertTrue(onMonitor.out.contains("held by thread " + holder + " \"holder\""), onMonitor.toString());
            assertTrue(onMonitor.out.contains("java -jar killswitch-agent.jar cancel PID " + blocked + " cancels it"), onMonitor.toString());

            // Cancelled, then asked for again, escalated this time (the same kill, as far as a monitor wait goes).
            Cli.Result cancelled = Cli.run(jdk, "cancel", pid, Long.toString(blocked));
            assertEquals(0, cancelled.exit, cancelled.toString());
            assertEquals("the pending kill of thread " + blocked + " \"blocked\" is cancelled", cancelled.out.strip(), cancelled.toString());
            Cli.Result nothing = Cli.run(jdk, "cancel", pid, Long.toString(blocked));
            assertEquals(1, nothing.exit, nothing.toString());
            assertTrue(nothing.out.contains("has no pending kill to cancel"), nothing.toString());
            Cli.Result escalated = Cli.run(jdk, "kill", pid, Long.toString(blocked), "--escalate", "--wait", "0");
            assertEquals(0, escalated.exit, escalated.toString());
            assertTrue(escalated.out.contains("(escalated) pending"), escalated.toString());

            // Killing the holder frees the monitor; the pending kill then lands too.
            Cli.Result freed = Cli.run(jdk, "kill", pid, "holder|blocked");
            assertEquals(0, freed.exit, freed.toString());
            assertTrue(freed.out.contains("thread " + holder + " \"holder\" killed: ThreadKilledError thrown at com.acme.blocking.MonitorCase.hold("),
                    freed.toString());
            // The kill still pending from before may land before this request reaches the thread: then the request
            // coalesces with it (the thread dying of it, in its uncaught-exception handler), or finds the thread ended.
            assertTrue(freed.out.contains("thread " + blocked + " \"blocked\" killed: ThreadKilledError thrown at com.acme.blocking.MonitorCase.enter(")
                    || freed.out.contains("kill of thread " + blocked + " \"blocked\" coalesced with the kill already unwinding it")
                    || freed.out.contains("thread " + blocked + " \"blocked\" had already ended"), freed.toString());
            assertEquals(Set.of("holder", "blocked"), Set.of(target.awaitEvent("DIED").get("name"), target.awaitEvent("DIED").get("name")),
                    target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void badInputGetsAClearErrorAndItsExitCode(Jdk jdk) {
        try (ChildJvm target = JmxControlTest.target(jdk)) {
            String pid = Long.toString(target.pid());
            target.ask("START survivor com.acme.control.Runaways callLoop", "STARTED");
            target.ask("START " + "a".repeat(40) + " com.acme.control.Runaways callLoop", "STARTED");

            expect(jdk, 2, "Usage: java -jar killswitch-agent.jar COMMAND PID", false);
            Cli.Result help = Cli.run(jdk, "--help");
            assertEquals(0, help.exit, help.toString());
            assertTrue(help.out.contains("Exit codes:\n  0  done") && help.out.contains("  6  kill: no live thread"), help.toString());
            expect(jdk, 2, "killswitch: unknown command \"frobnicate\"", true, "frobnicate", pid);
            expect(jdk, 2, "killswitch: threads needs the process id of a JVM", true, "threads");
            expect(jdk, 2, "killswitch: not a process id: \"twelve\"", true, "status", "twelve");
            expect(jdk, 2, "killswitch: not a process id: \"99999999999999999999\"", true, "threads", "99999999999999999999");
            expect(jdk, 2, "killswitch: no thread has an id as large as 99999999999999999999", true, "kill", pid, "99999999999999999999");
            expect(jdk, 2, "killswitch: kill needs a thread id or a name pattern after the process id", true, "kill", pid);
            expect(jdk, 2, "killswitch: --wait \"soon\" is not a duration; write a number and a unit, as in 500ms, 1.5s, 30s, 2m or 1h",
                    true, "kill", pid, "1", "--wait", "soon");
            expect(jdk, 2, "killswitch: not a thread id or a regular expression: Unclosed group in \"(\"", true, "kill", pid, "(");
            expect(jdk, 2, "killswitch: unknown option --force", true, "kill", pid, "1", "--force");

            expect(jdk, 2, "killswitch: the name pattern \"((a+)+)+b\" needed more than 1,000,000 steps to match the thread name \""
                    + "a".repeat(40) + "\"", true, "kill", pid, "((a+)+)+b");
            expect(jdk, 2, "killswitch: --escalate and --wait-for-selected-code do not go together", true, "kill", pid, "1",
                    "--escalate", "--wait-for-selected-code");
            expect(jdk, 2, "killswitch: cancel takes one thread id after the process id", true, "cancel", pid);
            expect(jdk, 6, "no live thread with id 987654321", false, "cancel", pid, "987654321");
            expect(jdk, 6, "no live thread with id 987654321", false, "kill", pid, "987654321");
            expect(jdk, 6, "no live thread's name matches \"nobody\"", false, "kill", pid, "nobody");
            long system = systemThread(jdk, pid);
            expect(jdk, 6, "refused: it is a JVM system thread (thread group \"system\"), which is never killed", false, "kill", pid,
                    Long.toString(system));

            long ended = ProcessHandle.current().pid();
            try (ChildJvm gone = ChildJvm.with(jdk.require()).withoutAgentJar().main(PlainApp.class).start()) {
                gone.awaitExit(Duration.ofSeconds(60));
                ended = gone.pid();
            }
            expect(jdk, 3, "killswitch: no process with id " + ended, false, "threads", Long.toString(ended));
            assertTrue(target.ask("ALIVE? survivor", "ALIVE").flag("alive"), "the target carries on:\n" + target.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aJvmWithoutTheAgentOrWithoutAttachIsNamedAsSuch(Jdk jdk) {
        try (ChildJvm plain = ChildJvm.with(jdk.require()).withoutAgentJar().classPath(Paths.fixtures("java17"))
                .main(ControlTarget.class).start();
             ChildJvm closed = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**").jvmArgs("-XX:+DisableAttachMechanism")
                     .classPath(Paths.fixtures("java17")).main(ControlTarget.class).start()) {
            plain.awaitEvent("READY");
            closed.awaitEvent("READY");
            Cli.Result noAgent = Cli.run(jdk, "status", Long.toString(plain.pid()));
            assertEquals(4, noAgent.exit, noAgent.toString());
            assertTrue(noAgent.err.contains("killswitch: the killswitch agent is not running in JVM " + plain.pid()), noAgent.toString());
            assertTrue(noAgent.err.contains("java -jar killswitch-agent.jar attach " + plain.pid() + " include=..."), noAgent.toString());

            Cli.Result refused = Cli.run(jdk, "threads", Long.toString(closed.pid()));
            assertEquals(3, refused.exit, refused.toString());
            assertTrue(refused.err.contains("does not accept attach requests (for example -XX:+DisableAttachMechanism)"), refused.toString());

            Cli.Result noAttach = Cli.run(jdk, List.of("--limit-modules", "java.base,java.instrument,java.management,java.management.rmi"),
                    "threads", Long.toString(plain.pid()));
            assertEquals(5, noAttach.exit, noAttach.toString());
            assertTrue(noAttach.err.contains("this Java runtime has no attach support (module jdk.attach)"), noAttach.toString());
            assertTrue(plain.isAlive() && closed.isAlive());
        }
    }

    @Test
    void aProcessThatIsNoJvmIsNamedAsSuchAtOnce() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "the quick check reads /proc, which this system does not have");
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Cli.Result notJvm = Cli.run(TestJdks.all().get(0), "threads", Long.toString(sleeper.pid()));
            assertEquals(3, notJvm.exit, notJvm.toString());
            assertTrue(notJvm.err.contains("killswitch: process " + sleeper.pid() + " ") && notJvm.err.contains("is not a JVM"), notJvm.toString());
            assertTrue(sleeper.isAlive(), "the process was left alone");
        } finally {
            sleeper.destroyForcibly();
        }
    }

    private static void expect(Jdk jdk, int exit, String message, boolean usageHint, String... args) {
        Cli.Result r = Cli.run(jdk, args);
        assertEquals(exit, r.exit, r.toString());
        String text = r.out + "\n" + r.err;
        assertTrue(text.contains(message), "expected \"" + message + "\" in:\n" + r);
        assertEquals(usageHint, r.err.contains("--help"), r.toString());
        assertFalse(r.err.contains("Exception in thread"), r.toString());
    }

    private static long systemThread(Jdk jdk, String pid) {
        Cli.Result threads = Cli.run(jdk, "threads", pid);
        return threads.out.lines().filter(l -> l.contains("Reference Handler")).map(l -> Long.parseLong(l.trim().split("\\s+")[0]))
                .findFirst().orElseThrow(() -> new AssertionError(threads.toString()));
    }
}
