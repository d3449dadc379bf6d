package dev.killswitch.it;

import dev.killswitch.it.child.ControlTarget;
import dev.killswitch.it.child.EndsWhileTheChannelOpensApp;
import dev.killswitch.it.child.ListensLateProvider;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Cli;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command channel's folders in a temporary folder that others share: containers that share {@code /tmp} each
 * number their processes from one, so a folder's process id may name no process, or another one, in a JVM's view
 * while its JVM lives. A JVM that starts removes only the folders whose JVMs are gone, and never takes one in use.
 */
class CommandFolderTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @TempDir
    Path tmp;

    /** As a JVM in another container sees one in this: its process id names no process here. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aFolderInUseIsLeftAloneThoughItsProcessIdNamesNoProcessHere(Jdk jdk) throws Exception {
        try (ChildJvm elsewhere = target(jdk)) {
            Path own = awaitChannel(elsewhere);
            Path seenFromAnotherContainer = tmp.resolve(".killswitch-" + endedProcessId());
            Files.move(own, seenFromAnotherContainer); // its socket keeps listening under the new name
            try (ChildJvm next = target(jdk)) {
                awaitChannel(next); // it has tidied the folder before it made its own
                assertTrue(Files.exists(seenFromAnotherContainer.resolve("control")), "the live JVM's channel was removed");
                assertTrue(answers(seenFromAnotherContainer.resolve("control")), "the live JVM's channel no longer answers");
                assertEquals(1, next.agentLines().size(), next.describe());
            }
        }
    }

    /** A folder without a lock file (an agent's before there was one) goes once its process is gone and a minute old. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aFolderWithoutALockFileGoesOnceItsProcessIsGoneAndAMinuteOld(Jdk jdk) throws Exception {
        long ended = endedProcessId();
        Path old = oldFormatFolder(ended, Duration.ofMinutes(5));
        Path fresh = oldFormatFolder(ended + 1_000_000, Duration.ZERO);
        Path alive = oldFormatFolder(ProcessHandle.current().pid(), Duration.ofMinutes(5));
        try (ChildJvm next = target(jdk)) {
            awaitChannel(next);
            assertFalse(Files.exists(old), "a folder of an ended process, five minutes old, was left");
            assertTrue(Files.exists(fresh.resolve("control")), "a folder made a moment ago was removed");
            assertTrue(Files.exists(alive.resolve("control")), "the folder of a live process was removed");
        }
    }

    /**
     * A JVM whose process id is that of a live JVM elsewhere whose folder this temporary folder holds: its agent leaves
     * that channel alone and says why it has none, and the tool will not take the other JVM for it. (The agent is
     * loaded through the Attach API, so that the process id is known first; the tool's own attach refuses, and says why.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aJvmWhoseFolderALiveJvmHoldsLeavesItAloneAndTheToolSaysSo(Jdk jdk) throws Exception {
        try (ChildJvm elsewhere = target(jdk);
             ChildJvm plain = ChildJvm.with(jdk.require()).withoutAgentJar().jvmArgs("-Djava.io.tmpdir=" + tmp)
                     .classPath(Paths.fixtures("java17")).main(ControlTarget.class).start()) {
            plain.awaitEvent("READY");
            String pid = Long.toString(plain.pid());
            Path samePid = tmp.resolve(".killswitch-" + pid);
            Files.move(awaitChannel(elsewhere), samePid);
            String refusal = samePid + " holds the command channel of another JVM with process id " + pid
                    + ", started at another time (a temporary folder shared with another container): the tool cannot reach JVM "
                    + pid + "; JMX clients still can";

            Cli.Result attach = Cli.run(jdk, "attach", pid, "include=com.acme.**");
            assertEquals(3, attach.exit, attach.toString());
            assertTrue(attach.err.contains("killswitch: nothing was loaded: " + refusal), attach.toString());
            assertTrue(plain.agentLines().isEmpty(), plain.describe());

            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(Paths.agentJar().toString(), "include=com.acme.**");
            } finally {
                vm.detach();
            }
            String said = plain.awaitStderr(l -> l.startsWith("killswitch: the command-line tool cannot reach this JVM"));
            assertTrue(said.contains("(" + samePid + " is in use by another JVM with process id " + pid
                    + " that shares this temporary folder, probably from another container); JMX clients still can"), said);
            assertTrue(answers(samePid.resolve("control")), "the live JVM's channel no longer answers");

            Cli.Result status = Cli.run(jdk, "status", pid);
            assertEquals(3, status.exit, status.toString());
            assertTrue(status.err.contains("killswitch: " + refusal), status.toString());
            assertFalse(status.out.contains("active"), "the other JVM answered for this one: " + status);
            assertTrue(plain.ask("START victim com.acme.control.Runaways spin", "STARTED").number("id") > 0, "the JVM runs on");

            plain.send("EXIT"); // at its end it removes only what it made: nothing of the other JVM's
            assertEquals(0, plain.awaitExit(Duration.ofSeconds(60)), plain.describe());
            assertTrue(answers(samePid.resolve("control")), "the live JVM's channel went with the JVM that was refused it");
        }
    }

    /**
     * The folder of an ended JVM whose process id was given again (a container restarted with the same {@code /tmp}):
     * nobody serves there, so the tool takes it for none, and an agent attached then takes the folder over.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theFolderOfAnEndedJvmWhoseIdWasGivenAgainIsNone(Jdk jdk) throws Exception {
        // Without /proc, start times are compared to within two seconds, and these two JVMs start closer than that.
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "start times in clock ticks come from /proc, which this system does not have");
        Path ended;
        try (ChildJvm killed = target(jdk)) {
            ended = awaitChannel(killed);
        } // destroyed forcibly: its folder, owner file and all, stays
        try (ChildJvm plain = ChildJvm.with(jdk.require()).withoutAgentJar().jvmArgs("-Djava.io.tmpdir=" + tmp)
                .classPath(Paths.fixtures("java17")).main(ControlTarget.class).start()) {
            plain.awaitEvent("READY");
            String pid = Long.toString(plain.pid());
            Path samePid = tmp.resolve(".killswitch-" + pid);
            Files.move(ended, samePid);

            Cli.Result status = Cli.run(jdk, "status", pid);
            assertEquals(4, status.exit, status.toString());
            assertTrue(status.err.contains("the killswitch agent is not running in JVM " + pid), status.toString());
            Cli.Result attach = Cli.run(jdk, "attach", pid, "include=com.acme.**");
            assertEquals(0, attach.exit, attach.toString());
            assertTrue(attach.out.startsWith("loaded the killswitch agent into JVM " + pid), attach.toString());
            Cli.Result after = Cli.run(jdk, "status", pid);
            assertEquals(0, after.exit, after.toString());
            assertTrue(after.out.startsWith("killswitch "), after.toString());
            assertTrue(after.out.contains(" in JVM " + pid + ": active"), after.toString());
        }
    }

    /**
     * The socket's file appears only once it listens, so that a tool that finds it can connect at once. (The fixture's
     * provider makes the moment between the system's bind and listen two seconds long, as a busy machine may.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theChannelsSocketAppearsOnlyOnceItListens(Jdk jdk) {
        try (ChildJvm child = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .jvmArgs("-Djava.io.tmpdir=" + tmp, "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                        "-Djava.nio.channels.spi.SelectorProvider=" + ListensLateProvider.class.getName())
                .classPath(Paths.fixtures("java17")).main(ControlTarget.class).start()) {
            child.awaitEvent("READY");
            Path control = awaitChannel(child).resolve("control");
            assertTrue(answers(control), "the channel's socket was there before it listened: " + child.describe());
            assertTrue(child.event("UNLISTENED").get("at").startsWith(control.getParent().toString()), child.describe());
            Cli.Result status = Cli.run(jdk, "status", Long.toString(child.pid()));
            assertEquals(0, status.exit, status.toString());
            assertTrue(status.out.contains(" in JVM " + child.pid() + ": active"), status.toString());
        }
    }

    /**
     * A JVM that ends while its channel opens (a short program: the channel opens in the background) leaves no
     * folder behind and says nothing: its end waits for the opening, then removes the folder.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aJvmThatEndsWhileItsChannelOpensLeavesNothing(Jdk jdk) {
        try (ChildJvm child = endsWhileTheChannelOpens(jdk).start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            assertEquals("killswitch-commands", child.event("ENDING").get("held"), child.describe());
            assertEquals(1, child.agentLines().size(), child.describe());
            assertFalse(Files.exists(tmp.resolve(".killswitch-" + child.pid())), "left behind: " + child.describe());
        }
    }

    /**
     * A failure of the opening while the JVM ends (here the application's own shutdown hook removes the channel's
     * folder under it) is not worth a line: nobody could have used the channel.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aFailureOfTheOpeningWhileTheJvmEndsSaysNothing(Jdk jdk) {
        try (ChildJvm child = endsWhileTheChannelOpens(jdk).args("remove").start()) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            assertEquals("killswitch-commands", child.event("ENDING").get("held"), child.describe());
            ChildJvm.Line removed = child.event("REMOVED");
            assertEquals("yes", removed.get("folder"), child.describe());
            assertEquals("ended", removed.get("channel"), child.describe());
            assertEquals(1, child.agentLines().size(), child.describe());
            assertTrue(child.agentLines().get(0).startsWith("killswitch: active, "), child.describe());
            assertFalse(Files.exists(tmp.resolve(".killswitch-" + child.pid())), "left behind: " + child.describe());
        }
    }

    /** The application that holds the agent's channel thread inside its socket's opening until the JVM ends. */
    private ChildJvm.Builder endsWhileTheChannelOpens(Jdk jdk) {
        return ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**")
                .jvmArgs("-Djava.io.tmpdir=" + tmp, "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                        "-Djava.nio.channels.spi.SelectorProvider=" + EndsWhileTheChannelOpensApp.HeldProvider.class.getName())
                .main(EndsWhileTheChannelOpensApp.class);
    }

    private ChildJvm target(Jdk jdk) {
        ChildJvm target = ChildJvm.with(jdk.require()).agentArgs("include=com.acme.**").jvmArgs("-Djava.io.tmpdir=" + tmp)
                .classPath(Paths.fixtures("java17")).main(ControlTarget.class).start();
        target.awaitEvent("READY");
        return target;
    }

    private Path awaitChannel(ChildJvm jvm) {
        Path folder = tmp.resolve(".killswitch-" + jvm.pid());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(folder.resolve("control")));
        return folder;
    }

    private Path oldFormatFolder(long pid, Duration age) throws IOException {
        Path folder = Files.createDirectory(tmp.resolve(".killswitch-" + pid));
        Files.createFile(folder.resolve("control"));
        Files.setLastModifiedTime(folder, FileTime.from(Instant.now().minus(age)));
        return folder;
    }

    /** The id of a process that has ended, as a JVM in another container may have it. */
    private static long endedProcessId() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertFalse(ProcessHandle.of(p.pid()).isPresent());
        return p.pid();
    }

    private static boolean answers(Path socket) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return c.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }
}
