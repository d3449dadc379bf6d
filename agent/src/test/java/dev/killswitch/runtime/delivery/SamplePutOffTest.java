package dev.killswitch.runtime.delivery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the deliverer puts a due sample off: while the victim decides whether its kill lands where it is (it looks at
 * its own stack, then lands), and for one decision only, so that a thread that decides again and again is still
 * sampled. Each case sets the victim's side as the victim would, at a moment the test chooses.
 */
class SamplePutOffTest {
    private final KillRequest request = new KillRequest(Thread.currentThread(), "put-off test", System.nanoTime(), false, false, false);

    @Test
    void aSampleIsNotPutOffWhileTheThreadDecidesNothing() {
        assertFalse(SwitchArmer.putOff(request));
        assertEquals(-1, request.putOffFor);
    }

    @Test
    void aSampleDueWhileTheThreadDecidesWaitsForThatDecision() {
        request.deciding = 1;
        long before = System.nanoTime();
        assertTrue(SwitchArmer.putOff(request));
        assertEquals(1, request.putOffFor);
        assertTrue(request.nextSampleNanos - before > 0, "due again later");
        assertTrue(SwitchArmer.putOff(request), "still the same decision: still put off");
        request.deciding = 0;
        assertFalse(SwitchArmer.putOff(request), "decided: the sample goes");
    }

    @Test
    void aSampleWaitsForOneDecisionOnlyNotForTheNext() {
        request.deciding = 1;
        assertTrue(SwitchArmer.putOff(request));
        request.deciding = 2; // decided, and deciding again at the next kill point before the deliverer looked
        assertFalse(SwitchArmer.putOff(request), "a thread that decides again and again would starve the deliverer");
    }
}
