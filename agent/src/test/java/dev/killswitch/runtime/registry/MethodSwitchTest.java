package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.killpoints.KillPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a switch flips: at once for an isolated kill, later when kills keep coming to the same code. */
class MethodSwitchTest {
    private static final long MS = 1_000_000L;

    /** An armed switch calls the kill points' checks, which they hand over when they load (as the runtime's start does). */
    @BeforeAll
    static void loadTheKillPoints() throws ClassNotFoundException {
        Class.forName(KillPoint.class.getName(), true, KillPoint.class.getClassLoader());
    }

    @Test
    void anIsolatedKillDisarmsAsSoonAsItIsReleased() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        s.arm(0);
        assertTrue(s.isArmed());
        assertFalse(s.release(5 * MS), "no lingering");
        assertFalse(s.isArmed());
    }

    @Test
    void twoKillsNeedingItStayArmedUntilBothAreReleased() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        s.arm(0);
        s.arm(1 * MS);
        assertFalse(s.release(2 * MS));
        assertTrue(s.isArmed());
        assertFalse(s.release(3 * MS));
        assertFalse(s.isArmed());
    }

    @Test
    void aSwitchNeededAgainSoonLingersAfterItsNextRelease() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        s.arm(0);
        s.release(1 * MS);
        s.arm(100 * MS); // within a second of the last release: kills keep coming here
        assertTrue(s.release(101 * MS), "lingers");
        assertTrue(s.isArmed());
        assertFalse(s.disarmIfDue(500 * MS));
        assertTrue(s.isArmed());
        s.arm(600 * MS); // the next victim finds it armed: no flip, no deoptimisation
        assertTrue(s.release(601 * MS));
        assertTrue(s.disarmIfDue(601 * MS + MethodSwitch.LINGER_NANOS));
        assertFalse(s.isArmed(), "idle once the storm has passed");
    }

    @Test
    void aSwitchThatOtherThreadsRunDoesNotLingerUnlessKillsComeFasterThanRecompiling() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        s.arm(0);
        s.release(1 * MS);
        s.arm(100 * MS);
        for (int i = 0; i < MethodSwitch.BYSTANDER_LIMIT; i++) {
            s.bystanderPassed(); // another thread runs this method while the kill is pending
        }
        assertFalse(s.release(101 * MS), "bystanders would pay for an armed switch: flip back");
        assertFalse(s.isArmed());

        s.arm(300 * MS); // no bystander seen this time, but they were seen recently: still no lingering
        assertFalse(s.release(301 * MS));

        s.arm(320 * MS); // 19 ms after the last release: kills come faster than recompiling
        for (int i = 0; i < MethodSwitch.BYSTANDER_LIMIT; i++) {
            s.bystanderPassed();
        }
        assertTrue(s.release(321 * MS), "lingers all the same");
    }

    @Test
    void aSwitchNeededAgainLongAfterItsReleaseDoesNotLinger() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        s.arm(0);
        s.release(1 * MS);
        s.arm(1 * MS + MethodSwitch.BUSY_WINDOW_NANOS + 1);
        assertFalse(s.release(3000 * MS));
        assertFalse(s.isArmed());
    }

    @Test
    void releasingMoreThanArmedIsHarmless() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        assertFalse(s.release(0));
        assertFalse(s.isArmed());
    }
}
