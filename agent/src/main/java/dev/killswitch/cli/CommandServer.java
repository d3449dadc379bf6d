package dev.killswitch.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.killswitch.control.KillswitchMXBean;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/**
 * The agent's half of the command-line tool's channel ({@link CommandChannel}): one daemon thread waits on a
 * Unix-domain socket in a folder only this JVM's user can open, and each command the tool sends runs here,
 * against the agent's control, its output streamed back. Nothing listens on the network, and no JMX or RMI
 * machinery starts. A JVM started with {@code -XX:+DisableAttachMechanism} refuses tools, so it gets no channel.
 */
public final class CommandServer implements Runnable {
    private final KillswitchMXBean control;
    private final PrintStream log;
    private final Path folder;
    private final Path socket;
    /** Between the claim and the JVM's end: the claim, and whether the end has come. */
    private final Object claiming = new Object();
    private ChannelFolder claimed;
    private boolean ended;

    private CommandServer(KillswitchMXBean control, PrintStream log) {
        this.control = control;
        this.log = log;
        long pid = ProcessHandle.current().pid();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        this.folder = CommandChannel.folder(tmp, pid);
        this.socket = CommandChannel.socket(tmp, pid);
    }

    /**
     * Opens the channel in the background, so that start-up does not wait for it. A shutdown hook, not the JVM's
     * removal of files at exit, removes the folder: only if this JVM claimed it (one refused a folder that another JVM
     * holds must leave that JVM's files alone), and never in the middle of the opening, which it waits for.
     */
    public static void start(KillswitchMXBean control, PrintStream log) {
        CommandServer server = new CommandServer(control, log);
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(server::end, "killswitch-commands-end"));
        } catch (IllegalStateException shutdownInProgress) {
            return; // the JVM ends already: nobody could use a channel
        }
        Thread t = new Thread(server, "killswitch-commands");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        if (attachDisabled()) {
            return;
        }
        ChannelFolder.removeStale(folder.getParent(), folder);
        ServerSocketChannel server = null;
        UserPrincipal owner;
        synchronized (claiming) {
            if (ended) {
                return;
            }
            try {
                claimed = ChannelFolder.claim(folder, ProcessHandle.current().pid());
                owner = claimed.owner;
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                // The system binds, then listens: a tool that found the file in between would be refused. So the
                // socket listens under another name first, and takes its own in one step.
                Path opening = folder.resolve(ChannelFolder.OPENING_NAME);
                server.bind(UnixDomainSocketAddress.of(opening));
                Files.move(opening, socket, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                closeQuietly(server);
                if (claimed != null) {
                    removeClaimed();
                }
                if (!ending()) {
                    log.println("killswitch: the command-line tool cannot reach this JVM: no channel at " + socket + " ("
                            + reason(e) + "); JMX clients still can");
                }
                return;
            }
        }
        try {
            for (;;) {
                SocketChannel client = server.accept();
                Thread session = new Thread(new Session(client, owner), "killswitch-command");
                session.setDaemon(true);
                session.start();
            }
        } catch (IOException | RuntimeException e) {
            // the channel was closed under us: nothing more to serve
        }
    }

    /** At the JVM's end: the folder goes, if this JVM holds it; an opening under way finishes first. */
    private void end() {
        synchronized (claiming) {
            ended = true;
            if (claimed != null) {
                removeClaimed();
            }
        }
    }

    private static void closeQuietly(ServerSocketChannel server) {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            // nothing was served on it
        }
    }

    private void removeClaimed() {
        try {
            claimed.remove();
        } catch (IOException | RuntimeException e) {
            // left for the next JVM with the agent, which removes the folders of ended JVMs
        }
        claimed = null;
    }

    /** The reason in words: a file system's exception names only the file, and some name nothing. */
    static String reason(Exception e) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String why = f.getReason() != null ? f.getReason()
                    : e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "it exists already" : "the file system refused";
            return f.getFile() == null ? why : f.getFile() + ": " + why;
        }
        return e.getMessage() != null ? e.getMessage() : "the system gave no reason";
    }

    /** Whether the JVM is ending: then it refuses new shutdown hooks. */
    private static boolean ending() {
        Thread probe = new Thread(() -> { }, "killswitch-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        } catch (RuntimeException refused) {
            return false; // a security manager that refuses hooks: say what failed
        }
    }

    private static boolean attachDisabled() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm != null && Boolean.parseBoolean(vm.getVMOption("DisableAttachMechanism").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot, or jdk.management left out: the folder's rights still guard the channel
        }
    }

    /** One command from the tool. */
    private final class Session implements Runnable {
        private final SocketChannel client;
        private final UserPrincipal owner;

        Session(SocketChannel client, UserPrincipal owner) {
            this.client = client;
            this.owner = owner;
        }

        @Override
        public void run() {
            try (SocketChannel c = client) {
                if (!sameUser(c)) {
                    return;
                }
                DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(c)));
                List<String> words = CommandChannel.readRequest(in);
                String pid = words.remove(0);
                PrintStream printed = new PrintStream(new CommandChannel.RecordStream(out, CommandChannel.OUT), true, StandardCharsets.UTF_8);
                int code;
                try {
                    code = command(words.isEmpty() ? "" : words.remove(0)).run(pid, words, control, printed);
                } catch (CliException e) {
                    code = e.exitCode;
                    CommandChannel.writeText(out, CommandChannel.ERR, "killswitch: " + e.getMessage() + "\n");
                } catch (RuntimeException e) {
                    code = ExitCodes.UNREACHABLE;
                    CommandChannel.writeText(out, CommandChannel.ERR, "killswitch: the command failed in JVM " + pid + ": "
                            + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()) + "\n");
                }
                printed.flush();
                CommandChannel.writeExit(out, code);
            } catch (IOException e) {
                // the tool went away, or sent something else: nothing to answer
            }
        }

        /** Only the user the folder belongs to, as the kernel tells it, where it can. */
        private boolean sameUser(SocketChannel c) {
            try {
                UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
                return peer.user().equals(owner);
            } catch (IOException | RuntimeException | LinkageError e) {
                return true; // no peer credentials here: the folder's rights are the guard
            }
        }
    }

    static TargetCommand command(String name) throws CliException {
        switch (name) {
            case "threads":
                return new ThreadsCommand();
            case "kill":
                return new KillCommand();
            case "cancel":
                return new CancelCommand();
            case "status":
                return new StatusCommand();
            case AttachCommand.Report.NAME:
                return new AttachCommand.Report();
            default:
                throw new CliException(ExitCodes.USAGE, "unknown command \"" + name + "\"");
        }
    }
}
