package dev.killswitch.compat.child;

/**
 * Spins in a loop of the library under test, which runs until {@link Spin#keepGoing()} says stop: the loop itself is
 * the library's, so with the agent it is full of kill points; the callback is unselected code.
 */
public interface Spinner {
    /** The package of the library class whose loop spins, for checking where the kill landed. */
    String loopPackage();

    void spin(Spin spin) throws Exception;
}
