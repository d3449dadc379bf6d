package dev.killswitch.runtime.registry;

/** The places where the agent inserts kill points. */
public enum KillPointKind {
    /** Before a backward jump: every loop iteration passes one. */
    BACK_EDGE,
    /** At the start of a method body (not static initialisers): unbounded recursion passes one per call. */
    METHOD_ENTRY,
    /** A blocking call (wait, lock, queue, future, socket...) redirected to a runtime method that a kill ends. */
    BLOCKING_CALL,
    /**
     * Where a catch or finally block ends: a kill it caught is raised again there, or the thread's pending
     * kill is delivered once the block has done its work.
     */
    CATCH_EXIT
}
