package com.acme.stop;

/** A legacy thread subclass that spins in selected code and counts its cleanup. */
public class Worker extends Thread {
    public static volatile long progress;
    public static volatile int cleanups;
    /** Set once this worker spins inside its try block. */
    public volatile boolean spinning;

    public Worker(String name) {
        super(name);
        setDaemon(true);
    }

    /** In a given group. */
    public Worker(ThreadGroup group, String name) {
        super(group, name);
        setDaemon(true);
    }

    @Override
    public void run() {
        try {
            spinning = true;
            while (true) {
                progress++;
            }
        } finally {
            synchronized (Worker.class) { // workers of a group die together
                cleanups++;
            }
        }
    }
}
