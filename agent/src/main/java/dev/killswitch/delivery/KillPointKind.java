package dev.killswitch.delivery;

/** The places where the agent inserts kill points. */
public enum KillPointKind {
    /** Before a backward jump: every loop iteration passes one. */
    BACK_EDGE("back-edge"),
    /** At the start of a method body (not static initialisers): unbounded recursion passes one per call. */
    METHOD_ENTRY("method-entry"),
    /** At the first instruction of an exception handler. */
    HANDLER_ENTRY("handler-entry"),
    /** A blocking call (wait, lock, queue, future, socket...) redirected to a runtime method that a kill ends. */
    BLOCKING_CALL("blocking-call"),
    /** Where a catch block ends without throwing: a kill it caught is raised again there. */
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
