package dev.killswitch.cli;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tool's half of {@link CommandChannel}: finds the agent's socket for a process id, sends the command and
 * prints what comes back. Only where the JVM's temporary folder is not this tool's does it ask the JVM, through
 * the Attach API, where that folder is (as {@code jcmd} does for its own files); nothing is loaded into the JVM.
 */
final class CommandClient {
    private CommandClient() {
    }

    /** Runs {@code words} (the command and its arguments) in JVM {@code pid}; returns the exit code. */
    static int run(String pid, List<String> words, PrintStream out, PrintStream err) throws CliException {
        ProcessHandle process = TargetProcess.check(pid);
        Path socket = find(process, null);
        if (socket == null) {
            if (!KillswitchCli.attachAvailable()) {
                throw new CliException(ExitCodes.NO_ATTACH, "JVM " + pid + " keeps its temporary files elsewhere, and this Java"
                        + " runtime has no attach support (module jdk.attach) to ask it where: run the tool with a full JDK's java");
            }
            try (TargetJvm jvm = TargetJvm.attach(process)) {
                socket = find(process, jvm.systemProperties().getProperty("java.io.tmpdir"));
            }
        }
        if (socket == null) {
            throw new CliException(ExitCodes.NO_AGENT, "the killswitch agent is not running in JVM " + pid + ": start it with"
                    + " -javaagent:killswitch-agent.jar=include=..., or load it now with: java -jar killswitch-agent.jar attach "
                    + pid + " include=...");
        }
        return send(process, pid, socket, words, out, err);
    }

    /**
     * The agent's socket for the process: in this tool's temporary folder, or in {@code tmpdir} (the JVM's own,
     * if known), seen directly or through the process's root (a JVM in a container); null if there is none. Only
     * a folder that belongs to the process's user counts, and only the channel of that very process: in a temporary
     * folder shared between containers, another live JVM with the same process id may hold the folder, and the tool
     * says so; an ended one's folder, its process id given again, counts as none.
     */
    static Path find(ProcessHandle process, String tmpdir) throws CliException {
        List<Path> folders = new ArrayList<>();
        Path tmp = Path.of(tmpdir != null ? tmpdir : System.getProperty("java.io.tmpdir"));
        folders.add(tmp);
        folders.add(Path.of("/proc", Long.toString(process.pid()), "root").resolve(tmp.getRoot() == null ? tmp : tmp.getRoot().relativize(tmp)));
        String user = process.info().user().orElse(null);
        Path another = null;
        for (Path folder : folders) {
            Path socket = CommandChannel.socket(folder, process.pid());
            try {
                if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
                        && (user == null || user.equals(Files.getOwner(socket.getParent(), LinkOption.NOFOLLOW_LINKS).getName()))) {
                    if (ChannelOwner.is(socket.getParent(), process)) {
                        return socket;
                    }
                    if (ChannelFolder.listens(socket)) { // else the folder of an ended process whose id was given again: none
                        another = another == null ? socket.getParent() : another;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not ours to look at: not this agent's
            }
        }
        if (another != null) {
            throw new CliException(ExitCodes.UNREACHABLE, another + " holds the command channel of another JVM with process id "
                    + process.pid() + ", started at another time (a temporary folder shared with another container): the tool cannot"
                    + " reach JVM " + process.pid() + "; JMX clients still can");
        }
        return null;
    }

    private static int send(ProcessHandle process, String pid, Path socket, List<String> words, PrintStream out, PrintStream err)
            throws CliException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new CliException(ExitCodes.NO_AGENT, "the killswitch agent in JVM " + pid + " does not answer at " + socket
                        + (process.isAlive() ? "" : " (the process has ended)"));
            }
            CommandChannel.writeRequest(new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel))), pid, words);
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            try {
                for (;;) {
                    int kind = in.readUnsignedByte();
                    if (kind == CommandChannel.EXIT) {
                        return in.readInt();
                    }
                    (kind == CommandChannel.ERR ? err : out).print(in.readUTF());
                    (kind == CommandChannel.ERR ? err : out).flush();
                }
            } catch (EOFException e) {
                return ended(pid, words, out);
            }
        } catch (IOException e) {
            if (!process.isAlive()) {
                return ended(pid, words, out);
            }
            throw new CliException(ExitCodes.UNREACHABLE, "lost the channel to JVM " + pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JVM closed the channel before the command's end: it ended (the agent answers every command it reads
     * otherwise). For a kill that is the outcome it was asked for: every thread it was aimed at is gone.
     */
    private static int ended(String pid, List<String> words, PrintStream out) throws CliException {
        if (!words.isEmpty() && words.get(0).equals("kill")) {
            out.println("JVM " + pid + " ended while the kill was followed: the threads it was aimed at have ended with it");
            return ExitCodes.OK;
        }
        throw new CliException(ExitCodes.UNREACHABLE, "JVM " + pid + " ended during the command");
    }
}
