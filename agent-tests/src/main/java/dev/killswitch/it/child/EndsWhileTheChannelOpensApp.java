package dev.killswitch.it.child;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An application that ends while the agent opens its command channel in the background, at a known moment rather
 * than by chance: run with {@code -Djava.nio.channels.spi.SelectorProvider=} {@link HeldProvider} (see
 * {@link SystemSelectorProvider}), the agent's thread is held inside its socket's opening, after the folder's claim,
 * until the JVM ends. The application exits once that thread is held; its shutdown hook lets it go on, and with {@code remove} first removes the channel's
 * folder under it, then waits until the thread has either failed (and ended) or serves, and says which.
 */
public final class EndsWhileTheChannelOpensApp {
    private static final String CHANNEL_THREAD = "killswitch-commands";
    private static final CountDownLatch HELD = new CountDownLatch(1);
    private static final CountDownLatch GO_ON = new CountDownLatch(1);
    private static volatile String heldThread = "none";

    private EndsWhileTheChannelOpensApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean remove = args.length > 0 && args[0].equals("remove");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> atTheEnd(remove)));
        boolean held = HELD.await(30, TimeUnit.SECONDS);
        Report.line("ENDING", Map.of("held", held ? heldThread : "never"));
        System.exit(0);
    }

    private static void atTheEnd(boolean remove) {
        if (!remove) {
            GO_ON.countDown();
            return;
        }
        Path folder = Path.of(System.getProperty("java.io.tmpdir"), ".killswitch-" + ProcessHandle.current().pid());
        String removed = "yes";
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
            Files.delete(folder);
        } catch (IOException | RuntimeException e) {
            removed = "no: " + e;
        }
        GO_ON.countDown();
        Report.line("REMOVED", Map.of("folder", removed, "channel", servesOrEnded()));
    }

    /** "ended" once the channel thread is gone, "serving" once it waits for clients, "stuck" if neither in 30 s. */
    private static String servesOrEnded() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread thread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(CHANNEL_THREAD)).findFirst().orElse(null);
            if (thread == null) {
                return "ended";
            }
            for (StackTraceElement frame : thread.getStackTrace()) {
                if (frame.getClassName().equals("sun.nio.ch.ServerSocketChannelImpl") && frame.getMethodName().equals("accept")) {
                    return "serving";
                }
            }
            Thread.onSpinWait();
        }
        return "stuck";
    }

    /** The system's provider, except that a Unix-domain server socket's opening waits for the application's end. */
    public static final class HeldProvider extends SystemSelectorProvider {
        public HeldProvider() throws ReflectiveOperationException {
        }

        @Override
        public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
            if (family == StandardProtocolFamily.UNIX) {
                heldThread = Thread.currentThread().getName();
                HELD.countDown();
                try {
                    GO_ON.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return system.openServerSocketChannel(family);
        }
    }
}
