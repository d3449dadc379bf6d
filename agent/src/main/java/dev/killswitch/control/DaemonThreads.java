package dev.killswitch.control;

import java.util.concurrent.ThreadFactory;

/**
 * The control plane's own background threads (the flight-recorder events, the log lines): daemons that keep nothing of
 * whoever happened to start them, neither a context class loader nor inheritable thread-locals. They are often started
 * by the first kill's thread, which may be a web application's, whose loader must not outlive it.
 */
final class DaemonThreads implements ThreadFactory {
    private final String name;

    DaemonThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(null, r, name, 0, false);
        t.setDaemon(true);
        t.setContextClassLoader(null);
        return t;
    }
}
