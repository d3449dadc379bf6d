package dev.killswitch.delivery;

/** The places where the agent inserts kill points. */
public enum KillPointKind {
    /** Before a backward jump: every loop iteration passes one. */
    BACK_EDGE("back-edge"),
    /** At the start of a method body (not static initialisers): unbounded recursion passes one per call. */
    METHOD_ENTRY("method-entry"),
    /** A blocking call (wait, lock, queue, future, socket...) redirected to a runtime method that a kill ends. */
    BLOCKING_CALL("blocking-call"),
    /**
     * Where a catch or finally block ends: a kill it caught is raised again there, or the thread's pending
     * kill is delivered once the block has done its work.
     */
    CATCH_EXIT("catch-exit");

    private final String label;

    KillPointKind(String label) {
        this.label = label;
    }

    /** Short name used in messages, for example {@code back-edge}. */
    public String label() {
        return label;
    }
}
