package dev.killswitch.it.support;

import dev.killswitch.it.child.ShapeDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs one kill scenario in a {@link ShapeDriver} child and checks everything the contract promises. */
public final class ShapeScenario {
    private ShapeScenario() {
    }

    public static ChildJvm startDriver(Jdk jdk, String flavour) {
        return startDriver(ChildJvm.with(jdk).agentArgs("include=com.acme.**"), flavour);
    }

    /** Starts the driver with a builder that already has the JDK, agent arguments and JVM flags. */
    public static ChildJvm startDriver(ChildJvm.Builder builder, String flavour) {
        ChildJvm child = builder
                .classPath(Paths.fixtures(flavour))
                .main(ShapeDriver.class, Paths.fixtures(flavour).toString())
                .start();
        ChildJvm.Line ready = child.awaitEvent("READY");
        assertTrue(ready.flag("active"), "agent active in the child: " + child.describe());
        return child;
    }

    /**
     * Starts the shape in a victim and a bystander, kills the victim once it runs, and asserts: it dies
     * of a ThreadKilledError thrown in selected code (its latency is a figure, not a bound: the machine is shared), its finally ran, the
     * monitor it held is free, the bystander keeps working and is never hit, and the JVM still answers.
     */
    public static ChildJvm.Line killAndCheck(ChildJvm child, String shape, String loader, String threads, long minProgress) {
        child.ask("START " + shape + " " + loader + " " + threads, "STARTED");
        child.askUntil("RUNNING?", "RUNNING", l -> l.flag("yes") && l.number("progress") >= minProgress, Duration.ofSeconds(20));

        ChildJvm.Line killed = child.ask("KILL", "KILLED");
        String context = shape + " (" + loader + ", " + threads + "): " + killed;
        assertTrue(killed.flag("delivered"), context);
        assertEquals("DELIVERED", killed.get("status"), context);
        assertFalse(killed.flag("victimAlive"), "victim dead: " + context);
        assertTrue(killed.decimal("latencyMs") >= 0, context);
        assertEquals("dev.killswitch.ThreadKilledError", killed.get("died"), context);
        assertTrue(killed.get("message").contains("kill test of " + shape), context);
        // StackTraceElement.toString() puts a named class loader first: "child-first//com.acme.shapes...".
        assertTrue(killed.get("deliveredAt").matches("([^/]*//)?com\\.acme\\.shapes\\..*"), "delivered in selected code: " + context);
        assertEquals(killed.get("deliveredAt"), killed.get("traceTop"), "stack trace starts where delivered: " + context);
        assertTrue(killed.flag("finallyRan"), "finally in selected code ran: " + context);
        assertTrue(killed.flag("monitorFree"), "monitor released: " + context);

        long runs = killed.number("bystanderRuns");
        child.askUntil("BYSTANDER?", "BYSTANDER", l -> l.number("runs") > runs + 2, Duration.ofSeconds(10));
        ChildJvm.Line stopped = child.ask("STOP", "STOPPED");
        assertFalse(stopped.flag("alive"), "bystander stopped: " + stopped);
        assertEquals("none", stopped.get("died"), "bystander never hit: " + stopped);
        child.ask("PING", "PONG");
        return killed;
    }
}
