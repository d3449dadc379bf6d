package dev.killswitch.it;

import dev.killswitch.it.child.SwallowDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wait on a child JVM that fails says why: what the child printed up to the failure, the error it answered the
 * command with instead of the awaited line (an error for another command does not count), and where each of its
 * threads was. A test that fails once in a CI run must leave enough to find the cause.
 */
class ChildJvmDiagnosisTest {

    private static ChildJvm child() {
        ChildJvm child = ChildJvm.with(TestJdks.all().get(0)).agentArgs("include=com.acme.**")
                .classPath(Paths.fixtures("java17")).main(SwallowDriver.class).start();
        child.awaitEvent("READY");
        return child;
    }

    @Test
    void anErrorAnswerEndsTheWaitAndIsShown() {
        try (ChildJvm child = child()) {
            AssertionError e = assertThrows(AssertionError.class, () -> child.ask("KILL noSuchScenario platform 0", "KILLED"));
            assertTrue(e.getMessage().contains("the child JVM answered @@ ERROR"), e.getMessage());
            assertTrue(e.getMessage().contains("command=KILL noSuchScenario platform 0"), e.getMessage());
        }
    }

    @Test
    void anErrorForAnotherCommandDoesNotEndTheWait() {
        try (ChildJvm child = child()) {
            child.send("NO-SUCH-COMMAND"); // its ERROR line comes while the next command is asked
            ChildJvm.Line killed = child.ask("KILL swallowInLoop platform 0", "KILLED");
            assertFalse(killed.flag("alive"), killed.toString());
            assertEquals("NO-SUCH-COMMAND", child.events("ERROR").get(0).get("command"), child.describe());
        }
    }

    @Test
    void aTimeoutShowsTheOutputAtTheTimeoutAndTheChildsThreads() {
        try (ChildJvm child = child()) {
            child.send("NO-SUCH-COMMAND");
            child.awaitEvent("ERROR");
            AssertionError e = assertThrows(AssertionError.class,
                    () -> child.until("a line that never comes", Duration.ofSeconds(2), () -> false));
            String m = e.getMessage();
            assertTrue(m.startsWith("a line that never comes: not within 2000 ms"), m);
            assertTrue(m.contains("unknown command: NO-SUCH-COMMAND"), "what the child printed: " + m);
            assertTrue(m.contains("--- threads of the child JVM:") && m.contains("\"main\"")
                    && m.contains("dev.killswitch.it.child.CommandLoop.run"), "the child's threads: " + m);
        }
    }
}
