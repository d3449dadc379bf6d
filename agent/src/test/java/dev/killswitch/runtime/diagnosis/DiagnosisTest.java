package dev.killswitch.runtime.diagnosis;

import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.KillPointKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a kill that has not landed says about where its thread is, read from a sample of its stack. */
class DiagnosisTest {

    /**
     * A sample taken from another thread shows the method-handle frames of an {@code invokedynamic} redirect between
     * the runtime's wait and the selected code that called it: the thread is still at a kill point in selected code.
     */
    @Test
    void aThreadInARedirectedWaitIsAtAKillPointInSelectedCodeThroughTheLinkingFrames() {
        InstrumentedClasses.register("com.acme.diagnosis.Consumer", false, false, new int[KillPointKind.values().length], 0);
        StackTraceElement[] stack = {
            new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2),
            new StackTraceElement("dev.killswitch.runtime.blocking.BlockingCalls", "take", "BlockingCalls.java", 190),
            new StackTraceElement("java.lang.invoke.DirectMethodHandle$Holder", "invokeStatic", null, -1),
            new StackTraceElement("java.lang.invoke.Invokers$Holder", "linkToTargetMethod", null, -1),
            new StackTraceElement("com.acme.diagnosis.Consumer", "run", "Consumer.java", 12),
        };
        String text = Diagnosis.ofStack(stack, Thread.State.WAITING);
        assertTrue(text.startsWith("it is at a kill point in selected code at com.acme.diagnosis.Consumer.run(Consumer.java:12)"), text);
    }
}
