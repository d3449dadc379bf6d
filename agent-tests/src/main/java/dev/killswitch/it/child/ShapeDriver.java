package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one loop shape at a time in a victim thread (inside {@code Guard.call}, which holds a monitor
 * and has a finally) and the same shape, bounded, in a bystander thread; kills the victim on command.
 *
 * <p>Commands on standard input: {@code START shape loader threads}, {@code RUNNING?}, {@code KILL},
 * {@code BYSTANDER?}, {@code STOP}, {@code MEMBERS}, {@code PING}, {@code EXIT}. Argument: the fixtures
 * directory that the non-system loaders load from.
 */
public final class ShapeDriver {
    private static final long BYSTANDER_ITERATIONS = 2_000;

    private final Path fixtures;
    private Scenario current;

    private ShapeDriver(Path fixtures) {
        this.fixtures = fixtures;
    }

    public static void main(String[] args) throws Exception {
        ShapeDriver driver = new ShapeDriver(Path.of(args[0]));
        Report.line("READY", Map.of("java", Runtime.version().feature(), "active", Killswitch.isActive()));
        driver.commands().run();
    }

    private CommandLoop commands() {
        return new CommandLoop()
                .on("START", cmd -> {
                    current = new Scenario(cmd[1], Loaders.create(cmd[2], fixtures), cmd[3]);
                    current.start();
                    Report.line("STARTED", Map.of("shape", cmd[1]));
                })
                .on("RUNNING?", cmd -> current.reportRunning())
                .on("KILL", cmd -> current.kill())
                .on("BYSTANDER?", cmd -> {
                    Report.line("BYSTANDER", Map.of("runs", current.bystanderRuns.get(), "alive", current.bystander.isAlive(),
                            "died", Report.nameOf(current.bystanderDied.get())));
                })
                .on("STOP", cmd -> current.stopBystander())
                .on("MEMBERS", cmd -> {
                    Class<?> c = Class.forName(cmd[1], false, Loaders.create(cmd[2], fixtures));
                    Report.line("MEMBERS", Map.of("methods", c.getDeclaredMethods().length + c.getDeclaredConstructors().length,
                            "fields", c.getDeclaredFields().length));
                })
                .on("PING", cmd -> Report.line("PONG"));
    }

    /** One victim and one bystander running the same shape. */
    private static final class Scenario {
        final String shape;
        final MethodHandle body;
        final MethodHandle guard;
        final Field finallies;
        final Object monitor = new Object();
        final Thread victim;
        final Thread bystander;
        final AtomicReference<Throwable> victimDied = new AtomicReference<>();
        final AtomicReference<Throwable> bystanderDied = new AtomicReference<>();
        final AtomicLong bystanderRuns = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final Field progress;
        int finalliesBefore;

        Scenario(String shape, ClassLoader loader, String threads) throws Exception {
            this.shape = shape;
            Class<?> shapes = Class.forName("com.acme.shapes.Shapes", true, loader);
            Class<?> guardClass = Class.forName("com.acme.shapes.Guard", true, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            body = lookup.findStatic(shapes, shape, MethodType.methodType(long.class, long.class));
            guard = lookup.findStatic(guardClass, "call", MethodType.methodType(Object.class, Object.class, Callable.class));
            finallies = guardClass.getField("finallies");
            progress = shapes.getField("progress");
            victim = Threads.create(threads, "victim-" + shape, () -> {
                try {
                    Callable<Object> call = () -> {
                        try {
                            return (long) body.invokeExact(-1L);
                        } catch (Exception | Error e) {
                            throw e;
                        } catch (Throwable t) {
                            throw new IllegalStateException(t);
                        }
                    };
                    guard.invoke(monitor, call);
                } catch (Throwable t) {
                    victimDied.set(t);
                }
            });
            bystander = Threads.create(threads, "bystander-" + shape, () -> {
                try {
                    while (!stop.get()) {
                        long ignored = (long) body.invokeExact(BYSTANDER_ITERATIONS);
                        bystanderRuns.incrementAndGet();
                    }
                } catch (Throwable t) {
                    bystanderDied.set(t);
                }
            });
        }

        void start() throws IllegalAccessException {
            finalliesBefore = finallies.getInt(null);
            victim.start();
            bystander.start();
        }

        void reportRunning() throws IllegalAccessException {
            StackTraceElement[] stack = victim.getStackTrace();
            boolean inShape = Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("com.acme.shapes.Shapes"));
            // Not waiting for the bystander: in synchronized shapes it waits for the victim's monitor until the kill.
            Report.line("RUNNING", Map.of("yes", victim.isAlive() && inShape,
                    "progress", progress.getLong(null), "top", stack.length == 0 ? "none" : stack[0]));
        }

        void kill() throws Exception {
            KillHandle handle = Killswitch.kill(victim, "kill test of " + shape);
            boolean delivered = handle.awaitDelivery(Fixtures.PROMPTLY);
            victim.join(Fixtures.PROMPTLY.toMillis());
            AtomicBoolean acquired = new AtomicBoolean();
            Thread taker = new Thread(() -> {
                synchronized (monitor) {
                    acquired.set(true);
                }
            });
            taker.start();
            taker.join(Fixtures.PROMPTLY.toMillis());
            Throwable died = victimDied.get();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("delivered", delivered);
            fields.put("status", handle.status());
            fields.put("latencyMs", handle.deliveryLatency().map(d -> d.toNanos() / 1e6).orElse(-1.0));
            fields.put("victimAlive", victim.isAlive());
            fields.put("died", Report.nameOf(died));
            fields.put("message", died == null ? "" : died.getMessage());
            fields.put("deliveredAt", handle.deliveredAt().map(Object::toString).orElse("none"));
            fields.put("traceTop", died == null || died.getStackTrace().length == 0 ? "none" : died.getStackTrace()[0]);
            fields.put("finallyRan", finallies.getInt(null) == finalliesBefore + 1);
            fields.put("monitorFree", acquired.get());
            fields.put("bystanderRuns", bystanderRuns.get());
            fields.put("describe", handle.describe());
            Report.line("KILLED", fields);
        }

        void stopBystander() throws InterruptedException {
            stop.set(true);
            bystander.join(5000);
            Report.line("STOPPED", Map.of("alive", bystander.isAlive(), "died", Report.nameOf(bystanderDied.get()),
                    "runs", bystanderRuns.get()));
        }
    }
}
