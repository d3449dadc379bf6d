package dev.killswitch.runtime.delivery;

/**
 * What a pending kill waits for, as its victim last saw at a kill point, and what escalating it would do there:
 * one value, so that a reader never pairs one wait's text with another wait's advice.
 */
final class Waiting {
    /** Why the kill has not landed yet. */
    final String text;
    /** What escalating would do, said to the user while the kill is not escalated; null where it changes nothing. */
    final String escalating;

    Waiting(String text, String escalating) {
        this.text = text;
        this.escalating = escalating;
    }

    /** The sentence for a user, or null where an escalated kill no longer waits for this. */
    String describe(boolean escalated) {
        if (escalating == null) {
            return text;
        }
        return escalated ? null : text + " (" + escalating + ")";
    }
}
