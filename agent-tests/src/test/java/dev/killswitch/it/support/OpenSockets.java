package dev.killswitch.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The sockets a process has open, read from Linux's /proc as {@code ss -ltnp} reads them. */
public final class OpenSockets {
    /** The state of a listening TCP socket in /proc/net/tcp. */
    private static final String LISTEN = "0A";

    private OpenSockets() {
    }

    public static boolean readable() {
        return Files.isReadable(Path.of("/proc/self/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** The local addresses (hex, as /proc writes them) of the TCP sockets that process {@code pid} listens on. */
    public static Set<String> listeningTcp(long pid) {
        Set<String> inodes = socketInodes(pid);
        Set<String> listening = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(file)) {
                lines.skip(1).map(l -> l.trim().split("\\s+"))
                        .filter(f -> f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9]))
                        .forEach(f -> listening.add(table + " " + f[1]));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return listening;
    }

    private static Set<String> socketInodes(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed meanwhile
                }
            }).filter(t -> t.startsWith("socket:[")).map(t -> t.substring(8, t.length() - 1)).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
