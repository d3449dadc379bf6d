package dev.killswitch.runtime.blocking;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.Selector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Blocking I/O of selected classes, redirected here by the transformer (receiver first, then the
 * original arguments). Channel I/O and pipes already end on interrupt; a kill pending then surfaces as
 * {@code ThreadKilledError}. Platform threads blocked in {@code ServerSocket.accept} or in a read of a
 * socket's input stream ignore interrupts, so a kill closes the server socket, or the socket, that the
 * victim waits on: the call fails and the kill is delivered. Without a kill, every call behaves as the
 * original. What is kept per thread lasts only as long as its call: nothing is held for a socket or a
 * stream once no thread waits on it.
 */
public final class BlockingIo {
    /** Threads in accept(), and the server socket each waits on. */
    private static final Map<Thread, Closeable> ACCEPTING = new ConcurrentHashMap<>();
    /** Threads reading a socket's input stream handed out to selected code, and that socket. */
    private static final Map<Thread, Socket> READING = new ConcurrentHashMap<>();

    private BlockingIo() {
    }

    /** Bootstrap of this class's redirected calls in class files of Java 7 and later: see {@link RedirectLinks}. */
    public static CallSite link(MethodHandles.Lookup caller, String name, MethodType type)
            throws ReflectiveOperationException {
        return RedirectLinks.site(BlockingIo.class, name, type);
    }

    public static Socket accept(ServerSocket server) throws IOException {
        Waits.beforeWait();
        Thread me = Thread.currentThread();
        ACCEPTING.put(me, server);
        try {
            return server.accept();
        } catch (IOException e) {
            throw Waits.killedOr(e);
        } finally {
            ACCEPTING.remove(me);
        }
    }

    /**
     * The socket's input stream, wrapped so that a kill can close the socket its reader waits on. Reads
     * through buffered readers wrapped around it are covered too: they end up in this stream. Each call
     * wraps anew, so nothing is kept for the socket; every wrapper reads the one stream of the socket.
     */
    public static InputStream getInputStream(Socket socket) throws IOException {
        return new KillableSocketStream(socket.getInputStream(), socket);
    }

    public static int read(ReadableByteChannel channel, ByteBuffer buffer) throws IOException {
        Waits.beforeWait();
        try {
            return channel.read(buffer);
        } catch (IOException e) { // a kill's interrupt closes the channel: ClosedByInterruptException
            throw Waits.killedOr(e);
        }
    }

    public static int select(Selector selector) throws IOException {
        Waits.beforeWait();
        int n = selector.select(); // returns when interrupted
        Waits.afterWait();
        return n;
    }

    public static int select(Selector selector, long timeout) throws IOException {
        Waits.beforeWait();
        int n = selector.select(timeout);
        Waits.afterWait();
        return n;
    }

    public static int read(InputStream in) throws IOException {
        Waits.beforeWait();
        try {
            return in.read();
        } catch (IOException e) { // a pipe's read ends on interrupt with InterruptedIOException
            throw Waits.killedOr(e);
        }
    }

    public static int read(InputStream in, byte[] buffer) throws IOException {
        Waits.beforeWait();
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw Waits.killedOr(e);
        }
    }

    public static int read(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        Waits.beforeWait();
        try {
            return in.read(buffer, offset, length);
        } catch (IOException e) {
            throw Waits.killedOr(e);
        }
    }

    /** What the arming thread calls to end the waits here that ignore interrupts (see {@code SwitchArmer.closeWaitsWith}). */
    public static final class WaitCloser implements Function<Thread, String> {
        @Override
        public String apply(Thread victim) {
            return closeWhatBlocks(victim);
        }
    }

    /** SwitchArmer thread: closes whatever the victim is blocked on that ignores interrupts. */
    public static String closeWhatBlocks(Thread victim) {
        Closeable server = ACCEPTING.get(victim);
        if (server != null) {
            closeQuietly(server);
            return "closed the server socket it was accepting on";
        }
        Socket socket = READING.get(victim);
        if (socket != null) {
            closeQuietly(socket);
            return "closed the socket it was reading from";
        }
        return null;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // the victim's read fails either way, or has already returned
        }
    }

    /** A socket's input stream that records, while a thread reads it, which thread and which socket. */
    static final class KillableSocketStream extends FilterInputStream {
        final Socket socket;

        KillableSocketStream(InputStream in, Socket socket) {
            super(in);
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            Thread me = reading();
            try {
                return in.read();
            } catch (IOException e) {
                throw Waits.killedOr(e);
            } finally {
                READING.remove(me);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Thread me = reading();
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw Waits.killedOr(e);
            } finally {
                READING.remove(me);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            Thread me = reading();
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw Waits.killedOr(e);
            } finally {
                READING.remove(me);
            }
        }

        private Thread reading() {
            Thread me = Thread.currentThread();
            READING.put(me, socket);
            return me;
        }
    }

    /** For tests and the soak: threads recorded as accepting or reading now. */
    public static int tracked() {
        return ACCEPTING.size() + READING.size();
    }
}
