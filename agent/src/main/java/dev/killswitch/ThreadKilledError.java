package dev.killswitch;

/**
 * Thrown in a thread that was killed with {@link Killswitch#kill(Thread, String)}, at the first kill
 * point the thread reaches after the request.
 *
 * <p>It is an {@link Error}, so code that catches {@code Exception} lets it pass. It unwinds like any
 * other throwable: {@code finally} blocks, try-with-resources {@code close()} calls and monitor
 * exits all run. Its stack trace starts at the kill point where it was delivered.
 */
public final class ThreadKilledError extends Error {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public ThreadKilledError(String reason) {
        super("Thread killed by killswitch: " + reason);
        this.reason = reason;
    }

    /** The reason given to {@link Killswitch#kill(Thread, String)}. */
    public String getReason() {
        return reason;
    }
}
