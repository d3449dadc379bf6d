package dev.killswitch.it;

import dev.killswitch.it.child.BlockingDriver;
import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Paths;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.TestJdks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every blocking call of the catalogue, made from selected code that swallows interrupts and waits
 * again: the victim is blocked, is killed, dies within a second with its cleanup run and its lock,
 * permit or socket released. Without a kill, every call returns, times out or throws exactly as
 * without the agent.
 */
class BlockingCallsTest {
    private static final Map<String, ChildJvm> CHILDREN = new ConcurrentHashMap<>();

    static Stream<Arguments> kills() throws Exception {
        List<String> cases = caseNames();
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("platform", "virtual").flatMap(threads ->
                cases.stream().map(c -> Arguments.of(jdk, threads, c))));
    }

    static Stream<Arguments> jdksAndThreads() {
        return TestJdks.all().stream().flatMap(jdk -> Stream.of("platform", "virtual").map(t -> Arguments.of(jdk, t)));
    }

    static List<Jdk> jdks() {
        return TestJdks.all();
    }

    @ParameterizedTest(name = "{0}, {1} thread: {2}")
    @MethodSource("kills")
    void aKillEndsTheWait(Jdk jdk, String threads, String kase) {
        ChildJvm child = driver(jdk, threads);
        child.ask("BLOCK " + kase.replace(' ', '_') + " " + threads, "BLOCKING");
        ChildJvm.Line state = child.askUntil("STATE?", "STATE", l -> l.flag("blocked"), Duration.ofSeconds(10));
        ChildJvm.Line killed = child.ask("KILL", "KILLED");
        String context = kase + " (" + threads + ", blocked " + state.get("state") + " at " + state.get("top") + "): " + killed;
        assertTrue(killed.flag("delivered"), context);
        assertFalse(killed.flag("victimAlive"), "dead: " + context);
        assertEquals("dev.killswitch.ThreadKilledError", killed.get("died"), context);
        assertTrue(killed.decimal("latencyMs") >= 0, context);
        assertTrue(killed.get("deliveredAt").contains("com.acme.blocking."), "delivered in the selected caller: " + context);
        assertTrue(killed.flag("cleanupRan"), "finally ran: " + context);
        assertTrue(killed.flag("released"), "lock, permit or socket released: " + context);
        // For the record (the README's blocking-call figures): kind, JDK, threads, latency.
        System.out.printf("blocking kill latency\t%s\t%s\t%s\t%.3f ms%n", kase, jdk, threads, killed.decimal("latencyMs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutAKillEveryCallBehavesAsWithoutTheAgentAndAsTheJdkSays(Jdk jdk) {
        Map<String, String> plain = control(ChildJvm.with(jdk.require()).withoutAgent());
        Map<String, String> instrumented = control(ChildJvm.with(jdk).agentArgs("include=com.acme.**"));
        assertEquals(plain, instrumented, "same results and interrupt status with and without the agent");
        assertEquals(caseNames().size(), instrumented.size());
        // What the JDK documents, for a few of them:
        assertEquals("null interruptedAfter=false", instrumented.get("BlockingQueue.poll(timeout)"));
        assertEquals("false interruptedAfter=false", instrumented.get("BlockingQueue.offer(timeout)"));
        assertEquals("false interruptedAfter=false", instrumented.get("Lock.tryLock(timeout)"));
        assertEquals("TimeoutException interruptedAfter=false", instrumented.get("Future.get(timeout)"));
        assertEquals("false interruptedAfter=false", instrumented.get("ExecutorService.awaitTermination"));
        assertEquals("arrival index 1 interruptedAfter=false", instrumented.get("CyclicBarrier.await"));
        // The calls that ignore interrupts keep the interrupt status, with the agent as without:
        assertEquals("locked interruptedAfter=true", instrumented.get("Lock.lock"));
        assertEquals("CompletionException: failed interruptedAfter=true", instrumented.get("CompletableFuture.join"));
        assertEquals("next phase 1 interruptedAfter=true", instrumented.get("Phaser.awaitAdvance"));
        assertEquals("acquired, 0 left interruptedAfter=true", instrumented.get("Semaphore.acquireUninterruptibly"));
        assertEquals("signalled interruptedAfter=true", instrumented.get("Condition.awaitUninterruptibly"));
        assertEquals("read 42 interruptedAfter=false", instrumented.get("Socket input stream read"));
    }

    @ParameterizedTest(name = "{0}, {1} thread")
    @MethodSource("jdksAndThreads")
    void aThreadBlockedOnAMonitorIsReportedWithItsHolderAndDiesOnceFreed(Jdk jdk, String threads) {
        ChildJvm child = driver(jdk, threads);
        child.ask("MONITOR " + threads, "BLOCKING");
        child.askUntil("STATE?", "STATE", l -> l.get("state").equals("BLOCKED"), Duration.ofSeconds(10));
        ChildJvm.Line pending = child.ask("MONITOR_KILL", "MONITOR_KILLED");
        assertFalse(pending.flag("delivered"), "nothing can interrupt a monitor wait: " + pending);
        assertTrue(pending.flag("alive") && pending.flag("pending"), pending.toString());
        // What the handle says is known once the deliverer has looked at the thread, which a busy machine may delay.
        ChildJvm.Line described = child.askUntil("MONITOR_DESCRIBE", "MONITOR_DESCRIBED",
                l -> l.get("describe").contains("BLOCKED entering a synchronized block")
                        && (threads.equals("virtual") || l.get("describe").contains("held by thread")), Duration.ofSeconds(20));
        assertTrue(described.flag("pending"), described.toString());
        if (threads.equals("platform")) {
            assertTrue(described.get("describe").contains("\"monitor-holder\""), "names the holder: " + described);
        }
        ChildJvm.Line released = child.ask("MONITOR_RELEASE", "MONITOR_RELEASED");
        assertTrue(released.flag("delivered"), released.toString());
        assertFalse(released.flag("alive"), released.toString());
        assertEquals("dev.killswitch.ThreadKilledError", released.get("died"), released.toString());
        assertTrue(released.flag("cleanupRan"), released.toString());
    }

    @AfterAll
    static void closeChildren() {
        CHILDREN.values().forEach(ChildJvm::close);
        CHILDREN.clear();
    }

    private static ChildJvm driver(Jdk jdk, String threads) {
        jdk.require();
        if (threads.equals("virtual")) {
            jdk.requireAtLeast(21, "virtual threads");
        }
        return CHILDREN.computeIfAbsent(jdk + "/" + threads, k -> {
            ChildJvm child = ChildJvm.with(jdk).agentArgs("include=com.acme.**").classPath(Paths.fixtures("java17"))
                    .main(BlockingDriver.class).start();
            assertTrue(child.awaitEvent("READY").flag("active"), child.describe());
            return child;
        });
    }

    private static Map<String, String> control(ChildJvm.Builder builder) {
        try (ChildJvm child = builder.classPath(Paths.fixtures("java17")).main(BlockingDriver.class).start()) {
            child.awaitEvent("READY");
            child.send("CONTROL");
            Map<String, String> results = new LinkedHashMap<>();
            for (int i = caseNames().size(); i > 0; i--) {
                ChildJvm.Line line = child.awaitEvent("CONTROL", Duration.ofSeconds(60));
                results.put(line.get("case"), line.get("result") + " interruptedAfter=" + line.get("interruptedAfter"));
            }
            return results;
        }
    }

    static List<String> caseNames() {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {Paths.fixtures("java17").toUri().toURL()}, null)) {
            Map<?, ?> all = (Map<?, ?>) Class.forName("com.acme.blocking.Cases", true, loader).getMethod("all").invoke(null);
            List<String> names = new ArrayList<>();
            for (Object k : all.keySet()) {
                names.add((String) k);
            }
            return names;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
