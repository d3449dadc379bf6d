package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.runtime.blocking.BlockingIo;
import dev.killswitch.runtime.delivery.KillStats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak of blocking socket reads: fetchers in selected code ({@code com.acme.net.Fetcher}) open, read and
 * close loopback connections, and a kill lands on one of them every few hundred connections, some while it
 * waits in a read that the server answers late. In a small heap, so that anything kept per socket runs it
 * out. Arguments: {@code connections fetchers killEvery}. One report line, {@code SOAKED}.
 */
public final class SocketSoakDriver {
    public static void main(String[] args) throws Exception {
        long connections = Long.parseLong(args[0]);
        int fetchers = Integer.parseInt(args[1]);
        long killEvery = Long.parseLong(args[2]);
        Class<?> fetcher = Class.forName("com.acme.net.Fetcher");
        Method fetchUntil = fetcher.getMethod("fetchUntil", int.class, long.class);
        AtomicLong fetched = (AtomicLong) fetcher.getField("FETCHED").get(null);

        ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        ExecutorService answering = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "answer");
            t.setDaemon(true);
            return t;
        });
        AtomicLong accepted = new AtomicLong();
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    long n = accepted.incrementAndGet();
                    answering.execute(() -> answer(s, n % 97 == 0)); // now and then late: a kill finds a fetcher in read()
                } catch (IOException e) {
                    return;
                }
            }
        }, "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();

        AtomicInteger killed = new AtomicInteger();
        AtomicInteger notDelivered = new AtomicInteger();
        AtomicInteger diedOfOther = new AtomicInteger();
        List<Thread> live = new ArrayList<>();
        for (int i = 0; i < fetchers; i++) {
            live.add(start(fetchUntil, server.getLocalPort(), connections, diedOfOther));
        }
        long nextKill = killEvery;
        int turn = 0;
        while (fetched.get() < connections) {
            if (fetched.get() >= nextKill) {
                nextKill += killEvery;
                int pick = turn++ % live.size();
                Thread victim = live.get(pick);
                KillHandle h = Killswitch.kill(victim, "soak kill");
                victim.join(10_000);
                if (h.status() == KillStatus.DELIVERED && !victim.isAlive()) {
                    killed.incrementAndGet();
                } else if (h.status() != KillStatus.NOT_IN_SELECTED_CODE) {
                    notDelivered.incrementAndGet(); // NOT_IN_SELECTED_CODE: caught between two fetches, left alone
                }
                live.set(pick, start(fetchUntil, server.getLocalPort(), connections, diedOfOther));
            }
            Thread.sleep(1);
        }
        for (Thread t : live) {
            t.join(30_000);
        }
        server.close();
        long[] tracked = trackedState();
        long until = System.nanoTime() + 10_000_000_000L;
        while (Arrays.stream(tracked).sum() > 0 && System.nanoTime() < until) { // threads that ended are forgotten soon
            Thread.sleep(10);
            tracked = trackedState();
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("connections", fetched.get());
        f.put("killed", killed.get());
        f.put("notDelivered", notDelivered.get());
        f.put("diedOfOther", diedOfOther.get());
        f.put("tracked", Arrays.toString(tracked));
        f.put("heapUsedMb", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        Report.line("SOAKED", f);
        System.exit(0);
    }

    private static Thread start(Method fetchUntil, int port, long connections, AtomicInteger diedOfOther) {
        Thread t = new Thread(() -> {
            try {
                fetchUntil.invoke(null, port, connections);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (!(e.getCause() instanceof dev.killswitch.ThreadKilledError)) {
                    diedOfOther.incrementAndGet();
                    e.getCause().printStackTrace();
                }
            } catch (Throwable e) {
                diedOfOther.incrementAndGet();
            }
        }, "fetcher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void answer(Socket s, boolean late) {
        try (Socket socket = s) {
            if (late) {
                Thread.sleep(20);
            }
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {1, 2, 3, 4});
            out.flush();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // until the fetcher closes (with a reset)
            }
        } catch (IOException | InterruptedException e) {
            // the fetcher reset the connection, or was killed
        }
    }

    /** What the runtime keeps for kills (pending, unwinding) and for sockets (threads in an accept or a read). */
    private static long[] trackedState() {
        long[] kills = KillStats.trackedState();
        return new long[] {kills[0], kills[1], BlockingIo.tracked()};
    }
}
