package dev.killswitch;

/**
 * How a kill may land, beyond the default. By default a kill lands only in the selected code the thread
 * runs when the kill is requested, never inside a {@code catch} or {@code finally} block (it waits until
 * the block has done its work), and a thread with no selected code on its stack is left alone.
 */
public enum KillOption {
    /**
     * Lands at the next kill point even inside cleanup code: a {@code catch} or {@code finally} block, or
     * code they call. For a thread whose cleanup itself hangs, after an ordinary kill that is pending or
     * has landed. It can cut that cleanup short, as {@code Thread.stop()} could: use it only for cleanup
     * that would otherwise never end. On a thread whose kill is pending, escalates that kill.
     */
    ESCALATE,
    /**
     * If the thread has no selected code on its stack, waits until it runs some, even in work it takes up
     * later (the next task of a pool thread, say), instead of leaving it alone. It stays pending, and
     * cancellable, until then; it neither interrupts nor wakes the thread meanwhile.
     */
    WAIT_FOR_SELECTED_CODE
}
