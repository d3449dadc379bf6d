package com.acme.legacy;

import java.io.IOException;

/** Sends a batch to a server that is down, and retries forever: every exception is caught and logged. */
public final class RetryingWorker implements Runnable {
    /** Failed attempts so far. */
    public static volatile long retries;
    /** True once the connection has been closed. */
    public static volatile boolean connectionClosed;

    @Override
    public void run() {
        try {
            while (true) {
                try {
                    send();
                    return;
                } catch (Exception e) {
                    retries++; // "log and retry": also swallows InterruptedException
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            // never reached: the sleep's interrupt is caught above
        } finally {
            connectionClosed = true;
        }
    }

    private void send() throws IOException {
        throw new IOException("connection refused");
    }
}
