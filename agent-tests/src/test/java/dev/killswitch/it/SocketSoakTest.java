package dev.killswitch.it;

import dev.killswitch.it.child.SocketSoakDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selected code opens, reads and closes 100,000 loopback connections in a 64 MB heap while kills land on it,
 * some in the middle of a read: nothing is kept per socket, and what the runtime keeps per thread and kill
 * is back to zero at the end.
 */
class SocketSoakTest {

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aHundredThousandConnectionsWithKillsLeaveNothingBehind(Jdk jdk) {
        jdk.require();
        try (ChildJvm child = ChildJvm.with(jdk).agentArgs("include=com.acme.**").jvmArgs("-Xmx64m")
                .classPath(Paths.fixtures("java17")).main(SocketSoakDriver.class, "100000", "4", "500").start()) {
            ChildJvm.Line f = child.awaitEvent("SOAKED", Duration.ofMinutes(4));
            System.out.println("soak: " + jdk + ": " + f);
            assertTrue(Long.parseLong(f.get("connections")) >= 100_000, f.toString());
            assertTrue(Integer.parseInt(f.get("killed")) >= 100, "kills landed along the way: " + f);
            assertEquals("0", f.get("notDelivered"), f.toString());
            assertEquals("0", f.get("diedOfOther"), "no fetcher died of anything but its kill: " + f);
            assertEquals("[0, 0, 0]", f.get("tracked"), "pending kills, unwinding threads, socket waits all back to zero: " + f);
        }
    }
}
