package dev.killswitch.runtime.registry;

import dev.killswitch.runtime.killpoints.KillPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a switch flips: at once for an isolated kill, later when kills keep coming to the same code, whoever runs it. */
class MethodSwitchTest {
    private static final long MS = 1_000_000L;
    /** A thread id that no passing thread has: the thread of a kill that landed. */
    private static final long VICTIM = -7;

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
        s.landedWhileLingering(0, VICTIM);
        assertFalse(s.isArmed(), "an idle switch stays idle");
        s.arm(0);
        s.release(1 * MS);
        s.arm(100 * MS);
        assertTrue(s.release(101 * MS), "lingers");
        s.landedWhileLingering(900 * MS, VICTIM); // the next victim met the armed kill point before anything was armed for it
        assertFalse(s.disarmIfDue(101 * MS + MethodSwitch.LINGER_NANOS), "still lingering a second after its release");
        assertTrue(s.isArmed());
        assertTrue(s.disarmIfDue(900 * MS + MethodSwitch.LINGER_NANOS));
        assertFalse(s.isArmed(), "idle a second after the last kill landed");
        s.landedWhileLingering(2000 * MS, VICTIM);
        assertFalse(s.isArmed(), "a landing does not arm a disarmed switch");
    }

    @Test
    void aSwitchThatOtherThreadsRunLingersWhenKillsKeepComingIfAKillChoseItFirstKnowingIt() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "run");
        s.armFirst(0);
        assertFalse(s.isShared(0), "no other thread seen");
        passedByAnotherThread(s);
        assertFalse(s.release(1 * MS));
        assertTrue(s.isShared(1 * MS), "the next kill looks for a method others do not run");
        s.armFirst(100 * MS); // the deliverer chose it all the same: others run every method on the stack, this is the outermost
        passedByAnotherThread(s);
        assertTrue(s.release(101 * MS), "recompiling twice per kill would cost the others more than the outer loop's test");
        assertTrue(s.isArmedNow());
        assertFalse(s.isShared(101 * MS + MethodSwitch.SHARED_MEMORY_NANOS + 1), "forgotten after a while");
    }

    /**
     * Chosen first before others were seen running it (an inner loop, the innermost method that looked unshared), a
     * switch does not linger once they are: kills would keep landing at it, and the others would pay its test at every
     * pass of their inner loop for as long as kills come (a bystander ran at 35 to 62 % of its speed), where the next
     * kill, knowing, arms the outermost method instead.
     */
    @Test
    void aSwitchChosenFirstBeforeOthersWereSeenRunningItDoesNotLingerOnceTheyAre() {
        MethodSwitch s = new MethodSwitch("com.acme.A", "sum");
        s.armFirst(0);
        assertFalse(s.release(1 * MS), "the first kill landed before another thread passed its kill points");
        assertFalse(s.isShared(1 * MS));
        s.armFirst(100 * MS); // busy: kills keep coming, and nothing tells the deliverer that others run it
        passedByAnotherThread(s);
        assertFalse(s.release(101 * MS), "an inner loop's test at every pass would cost the others more than recompiling");
        assertFalse(s.isArmed());
        assertTrue(s.isShared(101 * MS));
    }

    /**
     * The same when the others are found by a landing: kills that keep landing at a lingering switch before anything is
     * armed for them leave no release to count the others at, so a landing counts who passed its kill points since the
     * last: threads other than the victim, {@link MethodSwitch#BYSTANDER_LIMIT} times, run it too.
     */
    @Test
    void aKillThatLandsAtALingeringSwitchOthersRunKeepsItLingeringOnlyIfAKillChoseItKnowingThat() throws Exception {
        MethodSwitch s = new MethodSwitch("com.acme.A", "sum");
        s.armFirst(0);
        s.release(1 * MS);
        s.armFirst(100 * MS);
        assertTrue(s.release(101 * MS), "lingers: no other thread passed while the kill was pending");
        long victim = passedInAThreadOfItsOwn(s, MethodSwitch.BYSTANDER_LIMIT); // the next victim, before its kill
        passedInAThreadOfItsOwn(s, 1); // another thread, once: an outer loop it seldom runs, or a victim unwinding
        s.landedWhileLingering(500 * MS, victim);
        assertFalse(s.isShared(500 * MS), "the victim's own passes, and one of another thread's, are not others running it");
        long next = passedInAThreadOfItsOwn(s, MethodSwitch.BYSTANDER_LIMIT); // the victim after it, first to pass
        passedInAThreadOfItsOwn(s, MethodSwitch.BYSTANDER_LIMIT); // and a thread that is not killed
        s.landedWhileLingering(900 * MS, next);
        assertTrue(s.isShared(900 * MS));
        assertFalse(s.disarmIfDue(500 * MS + MethodSwitch.LINGER_NANOS - 1), "a second from the landing it kept");
        assertTrue(s.disarmIfDue(500 * MS + MethodSwitch.LINGER_NANOS), "not kept lingering by the landing others run");
        assertFalse(s.isArmed());

        s.armFirst(1600 * MS); // within a second of the last landing, chosen knowing that others run it: the outermost
        assertTrue(s.release(1601 * MS), "busy: kills keep coming");
        passedInAThreadOfItsOwn(s, MethodSwitch.BYSTANDER_LIMIT);
        s.landedWhileLingering(2200 * MS, VICTIM);
        assertFalse(s.disarmIfDue(1601 * MS + MethodSwitch.LINGER_NANOS), "kept lingering");
        assertTrue(s.isArmed());
    }

    /** Passes the switch's armed kill points {@code times} times in a new thread with no kill; returns its id. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    private static long passedInAThreadOfItsOwn(MethodSwitch s, int times) throws InterruptedException {
        Thread t = new Thread(() -> {
            for (int i = 0; i < times; i++) {
                s.bystanderPassed();
            }
        });
        t.start();
        t.join();
        return t.getId();
    }

    private static void passedByAnotherThread(MethodSwitch s) {
        for (int i = 0; i < MethodSwitch.BYSTANDER_LIMIT; i++) {
            s.bystanderPassed(); // another thread runs this method while the kill is pending
        }
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
