package dev.killswitch.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The folder of a JVM's command channel, {@code .killswitch-PID}, claimed for the JVM's life by a lock on its
 * {@code lock} file, which the system releases when the process ends however it ends.
 *
 * <p>Whether a folder is in use is asked of that lock, never of the process id alone: a temporary folder shared by
 * containers holds folders of live JVMs whose ids mean nothing, or another process, in this one's view, and a
 * folder of a dead process may be taken over by a new one with its id at any moment. Whoever removes a folder holds
 * its lock while it does, and whoever claims one checks, once it holds the lock, that the lock file is still the one
 * at the folder's path; so a claim and a removal never interleave.
 */
final class ChannelFolder implements AutoCloseable {
    static final String LOCK_NAME = "lock";
    /** The socket's name until it listens: as long as its own, for the system's limit on a socket's path. */
    static final String OPENING_NAME = "opening";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** How long, in tries 10 ms apart, a remover may hold a lock before a claim looks again whether it removed it. */
    private static final int LOCK_TRIES = 100;
    /** A folder without a lock file (written before there was one, or its JVM killed before it locked) this old is left. */
    private static final Duration UNLOCKED_AGE = Duration.ofMinutes(1);
    /** Descriptors of a lock file this JVM holds through another: closed, even by the collector, they would release it. */
    private static final List<FileChannel> KEPT = new CopyOnWriteArrayList<>();

    final Path folder;
    final UserPrincipal owner;
    private final FileChannel lockFile;

    private ChannelFolder(Path folder, UserPrincipal owner, FileChannel lockFile) {
        this.folder = folder;
        this.owner = owner;
        this.lockFile = lockFile;
    }

    /**
     * Creates the folder readable by this user only, or takes over one this user left with those rights (an earlier
     * process with this id that was killed), locks it and writes its owner file. One that anyone else made, or that a
     * live JVM holds (in a temporary folder shared with another container, where a JVM may have this process id
     * too), is refused. Where the file system has no locks, the folder is claimed without one, as before there were.
     */
    static ChannelFolder claim(Path folder, long pid) throws IOException {
        Path lock = folder.resolve(LOCK_NAME);
        for (int attempt = 1; ; attempt++) {
            UserPrincipal owner = prepare(folder);
            FileChannel lockFile = null;
            boolean keep = false;
            try {
                lockFile = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                Locked locked = lock(lockFile);
                if (locked == Locked.BY_THIS_JVM) {
                    KEPT.add(lockFile); // closing this descriptor would release the lock this JVM holds through another
                    keep = true;
                    throw new IOException("this JVM holds " + lock + " already: its channel is open");
                }
                Path socket = folder.resolve(CommandChannel.SOCKET_NAME);
                if (locked == Locked.ELSEWHERE && Files.exists(lock, LinkOption.NOFOLLOW_LINKS)
                        || locked == Locked.NO_LOCKS_HERE && listens(socket)) {
                    throw new IOException(folder + " is in use by another JVM with process id " + pid
                            + " that shares this temporary folder, probably from another container");
                }
                if (locked == Locked.NO_LOCKS_HERE || locked == Locked.YES && stillAt(lockFile, lock)) {
                    // Before the owner's line: a tool that read the new line must not find the ended JVM's socket.
                    Files.deleteIfExists(socket);
                    Files.deleteIfExists(folder.resolve(OPENING_NAME));
                    ChannelOwner.write(folder);
                    keep = true;
                    return new ChannelFolder(folder, owner, lockFile);
                }
                // else a remover took the folder while this claim waited for its lock: make it again
            } catch (NoSuchFileException removedMeanwhile) {
                // a remover took the stale folder between our look and our lock: make it again
            } finally {
                if (lockFile != null && !keep) {
                    lockFile.close();
                }
            }
            if (attempt == 3) {
                throw new IOException(folder + " keeps being removed by another process");
            }
        }
    }

    /** Removes the folder while its lock is still held (at the JVM's end, or when the channel could not open), then releases it. */
    void remove() throws IOException {
        try {
            delete(folder);
        } finally {
            close();
        }
    }

    /** The socket (under either name), the owner and lock files (an earlier version's folder has only the socket), the folder. */
    private static void delete(Path f) throws IOException {
        Files.deleteIfExists(f.resolve(CommandChannel.SOCKET_NAME));
        Files.deleteIfExists(f.resolve(OPENING_NAME));
        Files.deleteIfExists(f.resolve(ChannelOwner.NAME));
        Files.deleteIfExists(f.resolve(LOCK_NAME));
        Files.deleteIfExists(f);
    }

    /**
     * Removes the folders whose JVMs are gone: those whose lock can be taken (the system released it when their
     * process ended, SIGKILL included, as the JVM does for its own performance-data files), and those without a
     * lock file whose process id names no process here and that are older than a minute. Another user's folder,
     * or one in use, is left alone.
     */
    static void removeStale(Path tmp, Path except) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, CommandChannel.FOLDER_PREFIX + "*")) {
            for (Path f : folders) {
                String digits = f.getFileName().toString().substring(CommandChannel.FOLDER_PREFIX.length());
                if (f.equals(except) || !digits.matches("\\d{1,18}") || !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    removeIfStale(f, Long.parseLong(digits));
                } catch (IOException | RuntimeException e) {
                    // not this user's, or in use, or not empty: left alone
                }
            }
        } catch (IOException | RuntimeException e) {
            // a temporary folder that cannot be listed: nothing to tidy
        }
    }

    private static void removeIfStale(Path f, long pid) throws IOException {
        Path lock = f.resolve(LOCK_NAME);
        FileChannel lockFile;
        try {
            lockFile = FileChannel.open(lock, StandardOpenOption.WRITE); // never created here: a claim creates it
        } catch (NoSuchFileException noLockFile) {
            if (ProcessHandle.of(pid).isEmpty()
                    && Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(Instant.now().minus(UNLOCKED_AGE))) {
                delete(f);
            }
            return;
        }
        try (FileChannel c = lockFile; FileLock held = c.tryLock()) {
            // Held, and still the folder's lock file (not one a new claim made after an earlier removal): its JVM is gone.
            if (held != null && stillAt(c, lock)) {
                delete(f);
            }
        }
    }

    /**
     * Whether a JVM serves at {@code socket}. The connection is not waited for: a listener whose queue is full (a
     * stopped JVM) counts as one, and only a refusal, or no socket at all, as none (its JVM ended without removing it).
     */
    static boolean listens(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.configureBlocking(false);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException | RuntimeException e) {
            return Files.exists(socket, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static UserPrincipal prepare(Path folder) throws IOException {
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

    private enum Locked { YES, ELSEWHERE, BY_THIS_JVM, NO_LOCKS_HERE }

    /** Takes the lock, waiting out a remover (which holds it for a few file deletions, unless the machine is busy). */
    private static Locked lock(FileChannel lockFile) throws IOException {
        for (int i = 0; i < LOCK_TRIES; i++) {
            try {
                if (lockFile.tryLock() != null) {
                    return Locked.YES;
                }
            } catch (OverlappingFileLockException thisJvmHasIt) {
                return Locked.BY_THIS_JVM;
            } catch (IOException noLocks) {
                return Locked.NO_LOCKS_HERE; // a file system without locks (NFS without its lock service, some FUSE mounts)
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("the agent's channel thread was interrupted while it waited for " + LOCK_NAME);
            }
        }
        return Locked.ELSEWHERE;
    }

    /**
     * Whether the locked file is still the one at {@code path}: a mark made through the lock's channel, the file's
     * length set to a random number of bytes (a sparse file: one byte written), is read back from the path's
     * attributes. Reading the file through the path would not do: closing any other descriptor of a file releases
     * this process's locks on it. A remover deletes the path only while it holds the lock, so once this holds, it stays.
     */
    private static boolean stillAt(FileChannel locked, Path path) throws IOException {
        long length = 1 + ThreadLocalRandom.current().nextInt(1 << 20);
        locked.truncate(0);
        locked.write(ByteBuffer.wrap(new byte[] {'\n'}), length - 1);
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size() == length;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** Releases the folder: at the JVM's end the system does it anyway. */
    @Override
    public void close() throws IOException {
        lockFile.close();
    }
}
