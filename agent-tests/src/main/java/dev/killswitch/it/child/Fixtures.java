package dev.killswitch.it.child;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;

/**
 * Calls the fixtures ({@code com.acme.*}, compiled separately at several --release levels and put on
 * the child's class path) without compiling against them.
 */
public final class Fixtures {
    /**
     * How long a child waits for what should come at once (a kill to land, a killed thread to end): a wait returns as
     * soon as it has, so only a failure waits it out, and a machine busy enough to stall a JVM for a second fails nothing.
     */
    public static final Duration PROMPTLY = Duration.ofSeconds(20);

    private Fixtures() {
    }

    /** Calls {@code static long method(long)} of {@code className} from the class path. */
    public static long call(String className, String method, long n) {
        try {
            return (long) handle(className, method).invokeExact(n);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Runs {@code static void/long method()} of {@code c}; errors and runtime exceptions pass through. */
    static void run(Class<?> c, String method) {
        try {
            c.getMethod(method).invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A thread that runs {@code method(-1)}, that is, until it is killed. */
    public static Thread forever(String className, String method, String threadName) {
        Thread t = new Thread(() -> call(className, method, -1), threadName);
        t.setDaemon(true);
        return t;
    }

    /** Waits (at most 10 s) until {@code t} runs {@code method}: a kill aimed at it then finds selected code on its stack. */
    public static void awaitIn(Thread t, String method) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getMethodName().equals(method)) {
                    return;
                }
            }
            Thread.sleep(1);
        }
    }

    private static MethodHandle handle(String className, String method) throws ReflectiveOperationException {
        Class<?> c = Class.forName(className, true, Fixtures.class.getClassLoader());
        return MethodHandles.publicLookup().findStatic(c, method, MethodType.methodType(long.class, long.class));
    }
}
