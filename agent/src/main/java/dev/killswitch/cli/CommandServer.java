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
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's half of the command-line tool's channel ({@link CommandChannel}): one daemon thread waits on a
 * Unix-domain socket in a folder only this JVM's user can open, and each command the tool sends runs here,
 * against the agent's control, its output streamed back. Nothing listens on the network, and no JMX or RMI
 * machinery starts. A JVM started with {@code -XX:+DisableAttachMechanism} refuses tools, so it gets no channel.
 */
public final class CommandServer implements Runnable {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final KillswitchMXBean control;
    private final PrintStream log;
    private final Path folder;
    private final Path socket;

    private CommandServer(KillswitchMXBean control, PrintStream log) {
        this.control = control;
        this.log = log;
        long pid = ProcessHandle.current().pid();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        this.folder = CommandChannel.folder(tmp, pid);
        this.socket = CommandChannel.socket(tmp, pid);
    }

    /** Opens the channel in the background, so that start-up does not wait for it. */
    public static void start(KillswitchMXBean control, PrintStream log) {
        Thread t = new Thread(new CommandServer(control, log), "killswitch-commands");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        if (attachDisabled()) {
            return;
        }
        removeStaleFolders(folder.getParent());
        try {
            folder.toFile().deleteOnExit(); // deleted in reverse order: the socket, then its folder
            socket.toFile().deleteOnExit();
        } catch (IllegalStateException shutdownInProgress) {
            return; // the JVM ends before the channel is open: nobody could use it, and nothing is left behind
        }
        UserPrincipal owner;
        ServerSocketChannel server;
        try {
            owner = prepareFolder();
            Files.deleteIfExists(socket); // left by an earlier JVM with this process id that did not end normally
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            log.println("killswitch: the command-line tool cannot reach this JVM: no channel at " + socket + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); JMX clients still can");
            return;
        }
        for (;;) {
            try {
                SocketChannel client = server.accept();
                Thread session = new Thread(new Session(client, owner), "killswitch-command");
                session.setDaemon(true);
                session.start();
            } catch (IOException | RuntimeException e) {
                return; // the channel was closed under us: nothing more to serve
            }
        }
    }

    /**
     * Creates the folder readable by this user only, or takes over one this user left with those rights (an
     * earlier JVM with this process id that was killed). One that anyone else made is refused.
     */
    private UserPrincipal prepareFolder() throws IOException {
        boolean posix = Files.getFileStore(folder.getParent()).supportsFileAttributeView("posix");
        boolean created = true;
        try {
            if (posix) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(folder);
            }
        } catch (FileAlreadyExistsException e) {
            created = false;
            if (Files.isSymbolicLink(folder) || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(folder + " exists and is not a folder");
            }
        }
        UserPrincipal owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS);
        if (!created) { // whose it is: a file made in it now is this user's
            Path probe = Files.createTempFile(folder, "owner", "");
            try {
                UserPrincipal me = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
                if (!owner.equals(me)) {
                    throw new IOException(folder + " belongs to " + owner.getName() + ", not to " + me.getName());
                }
            } finally {
                Files.deleteIfExists(probe);
            }
        }
        if (posix && !EnumSet.copyOf(Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS)).equals(OWNER_ONLY)) {
            throw new IOException(folder + " may be opened by other users");
        }
        return owner;
    }

    /**
     * Removes the folders of this user's JVMs that ended without removing theirs (killed with SIGKILL), as the JVM
     * does with its own performance-data files. Another user's folder, or one still in use, cannot be removed.
     */
    private static void removeStaleFolders(Path tmp) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, CommandChannel.FOLDER_PREFIX + "*")) {
            for (Path f : folders) {
                String digits = f.getFileName().toString().substring(CommandChannel.FOLDER_PREFIX.length());
                if (!digits.matches("\\d{1,18}") || ProcessHandle.of(Long.parseLong(digits)).isPresent()) {
                    continue;
                }
                try {
                    Files.deleteIfExists(f.resolve(CommandChannel.SOCKET_NAME));
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // not this user's, or not empty: left alone
                }
            }
        } catch (IOException | RuntimeException e) {
            // a temporary folder that cannot be listed: nothing to tidy
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
