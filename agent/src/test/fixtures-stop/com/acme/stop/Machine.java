package com.acme.stop;

/** Not a thread: has stop methods of its own, which must keep working with stop-shim=true. */
public class Machine {
    public String state = "running";

    public void stop() {
        state = "stopped";
    }

    public void stop(Throwable why) {
        state = state + " (" + why.getMessage() + ")";
    }
}
