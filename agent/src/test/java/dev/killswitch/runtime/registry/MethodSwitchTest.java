package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.killpoints.KillPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a switch flips: at once for an isolated kill, later when kills keep coming to the same code, whoever runs it. */
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
    void aKillThatLandsAtALingeringSwitchKeepsItLingering() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        s.landedWhileLingering(0);
        assertFalse(s.isArmed(), "an idle switch stays idle");
        s.arm(0);
        s.release(1 * MS);
        s.arm(100 * MS);
        assertTrue(s.release(101 * MS), "lingers");
        s.landedWhileLingering(900 * MS); // the next victim met the armed kill point before anything was armed for it
        assertFalse(s.disarmIfDue(101 * MS + MethodSwitch.LINGER_NANOS), "still lingering a second after its release");
        assertTrue(s.isArmed());
        assertTrue(s.disarmIfDue(900 * MS + MethodSwitch.LINGER_NANOS));
        assertFalse(s.isArmed(), "idle a second after the last kill landed");
        s.landedWhileLingering(2000 * MS);
        assertFalse(s.isArmed(), "a landing does not arm a disarmed switch");
    }

    @Test
    void aSwitchThatOtherThreadsRunLingersWhenKillsKeepComingIfAKillChoseItFirst() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        s.armFirst(0);
        assertFalse(s.release(1 * MS));
        assertFalse(s.isShared(1 * MS), "no other thread seen");
        s.armFirst(100 * MS);
        for (int i = 0; i < MethodSwitch.BYSTANDER_LIMIT; i++) {
            s.bystanderPassed(); // another thread runs this method while the kill is pending
        }
        assertTrue(s.release(101 * MS), "recompiling twice per kill would cost the others more than the armed test");
        assertTrue(s.isArmedNow());
        assertTrue(s.isShared(101 * MS), "the next kill looks for a method others do not run");
        assertFalse(s.isShared(101 * MS + MethodSwitch.SHARED_MEMORY_NANOS + 1), "forgotten after a while");
    }

    @Test
    void aSharedSwitchArmedOnlyBecauseAKillTookLongDoesNotLinger() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "sum");
        s.arm(0);
        s.release(1 * MS);
        s.arm(100 * MS); // busy, but armed with everything else on the stack, not chosen
        for (int i = 0; i < MethodSwitch.BYSTANDER_LIMIT; i++) {
            s.bystanderPassed();
        }
        assertFalse(s.release(101 * MS), "an inner loop's test at every pass would cost the others more");
        assertFalse(s.isArmed());
        s.arm(200 * MS);
        s.armFirst(201 * MS); // a second kill chose it while the first still needs it
        s.release(202 * MS);
        assertTrue(s.release(203 * MS), "chosen once while armed: it lingers");
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
