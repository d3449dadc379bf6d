package dev.killswitch.delivery;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.Selector;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blocking I/O of selected classes, redirected here by the transformer (receiver first, then the
 * original arguments). Channel I/O and pipes already end on interrupt; a kill pending then surfaces as
 * {@code ThreadKilledError}. Platform threads blocked in {@code ServerSocket.accept} or in a read of a
 * socket's input stream ignore interrupts, so a kill closes the server socket, or the socket, that the
 * victim waits on: the call fails and the kill is delivered. Without a kill, every call behaves as the
 * original.
 */
public final class BlockingIo {
    /** Threads in accept(), and the server socket each waits on. */
    private static final Map<Thread, Closeable> ACCEPTING = new ConcurrentHashMap<>();
    /** The killable stream of each socket input stream handed out, so that a socket keeps one stream. */
    private static final Map<InputStream, KillableSocketStream> SOCKET_STREAMS = new WeakHashMap<>();

    private BlockingIo() {
    }

    public static Socket accept(ServerSocket server) throws IOException {
        Thread me = Thread.currentThread();
        ACCEPTING.put(me, server);
        try {
            return server.accept();
        } catch (IOException e) {
            throw BlockingCalls.killedOr(e);
        } finally {
            ACCEPTING.remove(me);
        }
    }

    /**
     * The socket's input stream, wrapped so that a kill can close the socket its reader waits on. Reads
     * through buffered readers wrapped around it are covered too: they end up in this stream.
     */
    public static InputStream getInputStream(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        synchronized (SOCKET_STREAMS) {
            KillableSocketStream killable = SOCKET_STREAMS.get(in);
            if (killable == null) {
                killable = new KillableSocketStream(in, socket);
                SOCKET_STREAMS.put(in, killable);
            }
            return killable;
        }
    }

    public static int read(ReadableByteChannel channel, ByteBuffer buffer) throws IOException {
        try {
            return channel.read(buffer);
        } catch (IOException e) { // a kill's interrupt closes the channel: ClosedByInterruptException
            throw BlockingCalls.killedOr(e);
        }
    }

    public static int select(Selector selector) throws IOException {
        int n = selector.select(); // returns when interrupted
        BlockingCalls.afterWait();
        return n;
    }

    public static int select(Selector selector, long timeout) throws IOException {
        int n = selector.select(timeout);
        BlockingCalls.afterWait();
        return n;
    }

    public static int read(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (IOException e) { // a pipe's read ends on interrupt with InterruptedIOException
            throw BlockingCalls.killedOr(e);
        }
    }

    public static int read(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw BlockingCalls.killedOr(e);
        }
    }

    public static int read(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        try {
            return in.read(buffer, offset, length);
        } catch (IOException e) {
            throw BlockingCalls.killedOr(e);
        }
    }

    /** Deliverer thread: closes whatever the victim is blocked on that ignores interrupts. */
    static String closeWhatBlocks(Thread victim) {
        Closeable server = ACCEPTING.get(victim);
        if (server != null) {
            closeQuietly(server);
            return "closed the server socket it was accepting on";
        }
        synchronized (SOCKET_STREAMS) {
            for (Iterator<KillableSocketStream> it = SOCKET_STREAMS.values().iterator(); it.hasNext(); ) {
                KillableSocketStream s = it.next();
                if (s.reader == victim) {
                    closeQuietly(s.socket);
                    return "closed the socket it was reading from";
                }
            }
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

    /** A socket's input stream that knows which thread reads it. */
    static final class KillableSocketStream extends FilterInputStream {
        final Socket socket;
        volatile Thread reader;

        KillableSocketStream(InputStream in, Socket socket) {
            super(in);
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            reader = Thread.currentThread();
            try {
                return in.read();
            } catch (IOException e) {
                throw BlockingCalls.killedOr(e);
            } finally {
                reader = null;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reader = Thread.currentThread();
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw BlockingCalls.killedOr(e);
            } finally {
                reader = null;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            reader = Thread.currentThread();
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw BlockingCalls.killedOr(e);
            } finally {
                reader = null;
            }
        }
    }

    /** For tests: how many socket streams are being tracked. */
    static int trackedSocketStreams() {
        synchronized (SOCKET_STREAMS) {
            return Collections.unmodifiableMap(SOCKET_STREAMS).size();
        }
    }
}
