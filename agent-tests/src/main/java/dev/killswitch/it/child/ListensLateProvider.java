package dev.killswitch.it.child;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The system's provider, except that a Unix-domain server socket's binding is stretched: first a socket that does not
 * listen is bound at the address for two seconds (a report line {@code UNLISTENED} says so), then the real one binds and
 * listens there. The system binds, then listens, in two steps, between which a busy machine may stop the thread; this
 * makes that moment long enough for any tool that polls for the socket's file to meet it.
 */
public final class ListensLateProvider extends SystemSelectorProvider {
    private static final long STRETCH_MILLIS = 2_000;

    public ListensLateProvider() throws ReflectiveOperationException {
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        ServerSocketChannel real = system.openServerSocketChannel(family);
        return family == StandardProtocolFamily.UNIX ? new ListensLate(this, real) : real;
    }

    private final class ListensLate extends ServerSocketChannel {
        private final ServerSocketChannel real;

        ListensLate(ListensLateProvider provider, ServerSocketChannel real) {
            super(provider);
            this.real = real;
        }

        @Override
        public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
            if (local instanceof UnixDomainSocketAddress) {
                try (SocketChannel unlistened = system.openSocketChannel(StandardProtocolFamily.UNIX)) {
                    unlistened.bind(local); // the file exists; a connection to it is refused
                    Report.line("UNLISTENED", Map.of("at", local));
                    TimeUnit.MILLISECONDS.sleep(STRETCH_MILLIS); // the stretched moment itself, not a wait for something
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Files.deleteIfExists(((UnixDomainSocketAddress) local).getPath());
            }
            real.bind(local, backlog);
            return this;
        }

        @Override
        public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
            real.setOption(name, value);
            return this;
        }

        @Override
        public <T> T getOption(SocketOption<T> name) throws IOException {
            return real.getOption(name);
        }

        @Override
        public Set<SocketOption<?>> supportedOptions() {
            return real.supportedOptions();
        }

        @Override
        public ServerSocket socket() {
            return real.socket();
        }

        @Override
        public SocketChannel accept() throws IOException {
            return real.accept();
        }

        @Override
        public SocketAddress getLocalAddress() throws IOException {
            return real.getLocalAddress();
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException {
            real.close();
        }

        @Override
        protected void implConfigureBlocking(boolean block) throws IOException {
            real.configureBlocking(block);
        }
    }
}
