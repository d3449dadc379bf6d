package com.acme.scripts;

/**
 * What a script can call as {@code host}: it says it is running, that its own finally ran, that its catch ran. Each
 * call is recorded in the run of the script that made it.
 */
public final class Host {
    private volatile Worker.Run current;

    /** Before a script starts, on the worker thread. */
    void begin(Worker.Run run) {
        current = run;
    }

    public void running() {
        current.running.countDown();
    }

    public void finallyRan() {
        current.finallyRan = true;
    }

    public void caught() {
        current.caught.incrementAndGet();
    }
}
