package com.acme.scripts;

/** One embedded script engine instance, used by one worker thread for every script it runs. */
interface Engine {
    /** Sets the engine up; called once, on the worker thread (a Rhino context belongs to the thread that entered it). */
    void open(Host host) throws Exception;

    /** Runs one script in the same engine instance as every script before it; returns its value. */
    Object eval(String name, String source) throws Exception;

    /** A global variable of the scripts (they keep counters there for the host to read), or null. */
    Object global(String name);

    /** The language of the engine's scripts: {@code groovy} or {@code js}. */
    String language();
}
