package dev.killswitch.it;

import com.sun.jdi.ThreadReference;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.ThreadDeathEvent;
import com.sun.jdi.request.EventRequest;
import dev.killswitch.it.child.SwallowDriver;
import dev.killswitch.it.support.Debugger;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kill that lands is handed over by the deliverer from the kills pending ({@code PendingKills}) to the kills
 * unwinding ({@code Unwinding}) while the victim runs on, and the catch block that caught the kill looks at both to
 * decide whether it must raise it again. The JDK's debugger holds the two threads so that the whole hand-over
 * happens right after the victim's first, second, ... look at either, each in a JVM of its own (its first kill,
 * with nothing recorded yet): orders that no scheduler can be relied on to give, or to avoid (CI met one in some
 * thousand first kills: the kill was swallowed, and the thread ran on for ever). In every order the caught kill is
 * raised again and ends the thread.
 */
class KillHandOverTest {
    private static final String KILL_POINT = "dev.killswitch.runtime.killpoints.KillPoint";
    private static final String PENDING = "dev.killswitch.runtime.delivery.PendingKills";
    private static final String UNWINDING = "dev.killswitch.runtime.delivery.Unwinding";
    /** More than the looks a catch block takes before it raises the kill again (a later hand-over finds it gone). */
    private static final int LOOKS = 8;

    static Stream<Arguments> cases() {
        return TestJdks.all().stream().flatMap(jdk -> IntStream.rangeClosed(1, LOOKS).mapToObj(look -> Arguments.of(jdk, look)));
    }

    @ParameterizedTest(name = "{0}, hand-over after look {1}")
    @MethodSource("cases")
    void aCaughtKillIsRaisedAgainWhereverTheDelivererHandsItOver(Jdk jdk, int look) throws Exception {
        try (ChildJvm child = ChildJvm.with(jdk.require()).jvmArgs(Debugger.JDWP).agentArgs("include=com.acme.**")
                .classPath(Paths.fixtures("java17")).main(SwallowDriver.class).start()) {
            assertTrue(child.awaitEvent("READY").flag("active"), child.describe());
            List<String> looks = new ArrayList<>();
            try (Debugger debugger = Debugger.attach(child)) {
                // The victim where its catch block ends; the deliverer as it starts to hand the kill over.
                EventRequest atBlockEnd = debugger.stopAtEntry(debugger.method(KILL_POINT, "catchExit"));
                EventRequest atHandOver = debugger.stopAtEntry(debugger.method(UNWINDING, "delivered"));
                child.send("KILL swallowInLoop platform 0 60");
                ThreadReference victim = null;
                ThreadReference deliverer = null;
                while (victim == null || deliverer == null) {
                    LocatableEvent e = (LocatableEvent) debugger.next();
                    if (e.request() == atBlockEnd) {
                        victim = e.thread();
                        debugger.cancel(atBlockEnd);
                    } else {
                        deliverer = e.thread();
                        debugger.cancel(atHandOver);
                    }
                }
                assertNotEquals(victim, deliverer);

                // The victim looks at the kills pending or unwinding `look` times (or ends first), then stops.
                List<? extends EventRequest> returns = debugger.stopAtNextReturn(victim, PENDING, UNWINDING);
                EventRequest end = debugger.watchEnd(victim);
                boolean ended = false;
                while (!ended && looks.size() < look) {
                    victim.resume();
                    Event e = debugger.next();
                    if (e instanceof ThreadDeathEvent) {
                        ended = true;
                    } else {
                        looks.add(((LocatableEvent) e).location().method().declaringType().name().replaceAll(".*\\.", "")
                                + "." + ((LocatableEvent) e).location().method().name());
                    }
                }
                returns.forEach(debugger::cancel);
                debugger.cancel(end);

                // The deliverer hands the kill over in full; then the victim goes on.
                deliverer.resume();
                await().atMost(Duration.ofSeconds(30)).until(() -> debugger.staticArrayLength(PENDING, "pending") == 0);
                if (!ended) {
                    victim.resume();
                }
            }
            ChildJvm.Line killed = child.awaitEvent("KILLED", Duration.ofSeconds(90));
            String context = jdk + ", hand-over after " + String.join(", ", looks) + ": " + killed;
            assertTrue(killed.flag("delivered"), context);
            assertEquals("caught ThreadKilledError", killed.get("events"), "the catch block ran once: " + context);
            assertFalse(killed.flag("alive"), "the catch block raised the kill again, and the thread ended: " + context);
            assertEquals("dev.killswitch.ThreadKilledError", killed.get("died"), context);
            System.out.println("hand-over: " + context.replaceAll("\t.*", ""));
        }
    }
}
