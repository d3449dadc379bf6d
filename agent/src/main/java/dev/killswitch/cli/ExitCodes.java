package dev.killswitch.cli;

/** What the command-line tool's exit code means; the usage text and the README list the same. */
final class ExitCodes {
    /** Done: for kill, every thread aimed at died. */
    static final int OK = 0;
    /** kill: a thread did not die within the wait; the output says why. */
    static final int NOT_DEAD = 1;
    /** Wrong command line, or agent arguments that the agent would reject. */
    static final int USAGE = 2;
    /** No JVM with that process id can be reached by this user, or it did not load the agent. */
    static final int UNREACHABLE = 3;
    /** The JVM runs, but without the agent (or with the agent disabled by a configuration error). */
    static final int NO_AGENT = 4;
    /** This Java runtime has no attach support (module jdk.attach). */
    static final int NO_ATTACH = 5;
    /** kill: no live thread has that id, or no thread's name matches. */
    static final int NO_SUCH_THREAD = 6;

    static final String TABLE = ""
            + "  0  done (kill: every thread aimed at has died)\n"
            + "  1  kill: a thread did not die within --wait; the output says why\n"
            + "  2  wrong command line, or agent arguments the agent would reject\n"
            + "  3  no JVM with that process id can be reached by this user, or it refused the agent\n"
            + "  4  the JVM runs without the killswitch agent (or the agent is disabled)\n"
            + "  5  this Java runtime has no attach support (module jdk.attach): use a full JDK\n"
            + "  6  kill: no live thread that may be killed has that id, or whose name matches (JVM system\n"
            + "     threads and the agent's own are never killed)\n";

    private ExitCodes() {
    }
}
