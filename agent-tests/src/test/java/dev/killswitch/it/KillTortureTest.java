package dev.killswitch.it;

import dev.killswitch.it.child.TortureDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 2,000 kills of workers doing bank transfers under a ReentrantLock and a monitor (calling an unselected
 * library, which fails now and then, while holding them), queue hand-offs, map updates, try-with-resources
 * and catch-all loops ({@code com.acme.torture.Bank}), with bystanders running the same code: afterwards
 * nothing is lost or held, and only the threads aimed at died. On each JDK, in platform and virtual threads.
 */
class KillTortureTest {
    private static final int KILLS = 2000;

    static Stream<Arguments> runs() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("platform", "virtual").map(kind -> Arguments.of(jdk, kind)));
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("runs")
    void twoThousandKillsDoNoHarm(Jdk jdk, String kind) {
        jdk.require();
        if (kind.equals("virtual")) {
            jdk.requireAtLeast(21, "virtual threads");
        }
        try (ChildJvm child = ChildJvm.with(jdk).agentArgs("include=com.acme.**").classPath(Paths.fixtures("java17"))
                .main(TortureDriver.class, kind, String.valueOf(KILLS), "6", "2", "20261201").start()) {
            ChildJvm.Line f = child.awaitEvent("TORTURED", Duration.ofMinutes(4));
            System.out.println("torture: " + jdk + ", " + kind + " threads: " + f);
            String where = jdk + ", " + kind + ": " + f;
            assertEquals("none", f.get("notDelivered"), "every kill was delivered and its thread died: " + where);
            assertEquals("0", f.get("diedOfOther"), "every victim died of its kill: " + where);
            assertEquals("0", f.get("untouchedHit"), "no bystander, and no victim not aimed at, was hit: " + where);
            assertEquals("0", f.get("lockedMoney"), "money is conserved under the lock: " + where);
            assertEquals("0", f.get("syncedMoney"), "money is conserved under the monitor: " + where);
            assertFalse(f.flag("lockHeld"), "no lock is left held: " + where);
            assertTrue(f.flag("monitorFree"), "no monitor is left held: " + where);
            assertTrue(f.get("items").startsWith("exact"), "every item handed over is counted exactly once: " + where);
            assertEquals("0", f.get("open"), "every resource was closed: " + where);
            assertEquals("0", f.get("tallyGap"), "map updates and their count agree: " + where);
            assertTrue(Long.parseLong(f.get("libraryFailures")) > 0, "the library failed now and then, while kills were pending too: " + where);
        }
    }
}
