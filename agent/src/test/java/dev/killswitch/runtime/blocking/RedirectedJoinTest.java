package dev.killswitch.runtime.blocking;

import dev.killswitch.instrument.killpoints.KillPointInserter;
import dev.killswitch.runtime.start.RuntimeStart;
import dev.killswitch.testing.Bytecode;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A redirected {@code CompletableFuture.join()} ends as the original does in every state the future can be in:
 * complete with a value, with null, exceptionally, cancelled, or not yet complete.
 */
class RedirectedJoinTest {
    private static final String JOINS = "com.acme.waits.Joins";

    @BeforeAll
    static void activateRuntime() {
        RuntimeStart.activate(false);
    }

    @Test
    void aRedirectedJoinEndsAsTheOriginalInEveryState() throws Exception {
        byte[] original = InMemoryCompiler.fixtures(8).get(JOINS);
        assertEquals(1, Bytecode.countRedirectedCalls(Bytecode.method(Bytecode.read(new KillPointInserter().instrument(original).bytes()), "join")),
                "join() is redirected");
        TransformingClassLoader transforming = new TransformingClassLoader(Map.of(JOINS, original), "com.acme.**");
        Method redirected = joins(transforming);
        assertTrue(transforming.report().contains("instrumented " + JOINS), transforming.report());
        Method plain = joins(new TransformingClassLoader(Map.of(JOINS, original)));

        Map<String, Supplier<CompletableFuture<Object>>> states = Map.of(
                "a value", () -> CompletableFuture.completedFuture("three"),
                "null", () -> CompletableFuture.completedFuture(null),
                "an exception", () -> CompletableFuture.failedFuture(new IllegalStateException("failed")),
                "a completion exception", () -> CompletableFuture.failedFuture(new CompletionException("wrapped", new IllegalStateException("inner"))),
                "cancelled", () -> {
                    CompletableFuture<Object> f = new CompletableFuture<>();
                    f.cancel(false);
                    return f;
                },
                "a value later", () -> CompletableFuture.supplyAsync(() -> "later", CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)),
                "null later", () -> CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)),
                "an exception later", () -> CompletableFuture.supplyAsync(() -> {
                    throw new IllegalArgumentException("late");
                }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
        for (Map.Entry<String, Supplier<CompletableFuture<Object>>> state : states.entrySet()) {
            Object expected = plain.invoke(null, state.getValue().get());
            assertEquals(expected, redirected.invoke(null, state.getValue().get()), "complete with " + state.getKey());
        }
        assertEquals("value null", plain.invoke(null, CompletableFuture.completedFuture(null)), "the fixture tells null apart");
        Thread.currentThread().interrupt();
        try {
            assertEquals("value null", redirected.invoke(null, CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))));
            assertTrue(Thread.currentThread().isInterrupted(), "join() ignores an interrupt and keeps it");
        } finally {
            Thread.interrupted();
        }
    }

    /** The waiting path for certain: the future completes only once the joining thread waits for it. */
    @Test
    void aRedirectedJoinThatWaitsEndsAsTheOriginal() throws Exception {
        byte[] original = InMemoryCompiler.fixtures(8).get(JOINS);
        TransformingClassLoader transforming = new TransformingClassLoader(Map.of(JOINS, original), "com.acme.**");
        Method redirected = joins(transforming);
        assertTrue(transforming.report().contains("instrumented " + JOINS), transforming.report());
        Method plain = joins(new TransformingClassLoader(Map.of(JOINS, original)));

        Map<String, Consumer<CompletableFuture<Object>>> endings = Map.of(
                "a value", f -> f.complete("three"),
                "null", f -> f.complete(null),
                "an exception", f -> f.completeExceptionally(new IllegalStateException("failed")),
                "cancelled", f -> f.cancel(false));
        for (Map.Entry<String, Consumer<CompletableFuture<Object>>> ending : endings.entrySet()) {
            assertEquals(joinWaiting(plain, ending.getValue()), joinWaiting(redirected, ending.getValue()),
                    "completed with " + ending.getKey() + " while join() waits");
        }
    }

    private static String joinWaiting(Method join, Consumer<CompletableFuture<Object>> ending) throws Exception {
        CompletableFuture<Object> future = new CompletableFuture<>();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread joiner = new Thread(() -> {
            try {
                outcome.set(join.invoke(null, future));
            } catch (ReflectiveOperationException e) {
                outcome.set(e.getCause());
            }
        }, "joiner");
        joiner.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> joiner.getState() == Thread.State.WAITING);
        ending.accept(future);
        joiner.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(joiner.isAlive(), "join() returned");
        return String.valueOf(outcome.get());
    }

    private static Method joins(ClassLoader loader) throws Exception {
        return loader.loadClass(JOINS).getMethod("join", CompletableFuture.class);
    }
}
