package dev.killswitch.runtime.delivery;

import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * How the runtime looks at another thread's stack. First its top {@value #HEAD} frames only: {@code
 * Thread.getStackTrace} costs in proportion to the whole stack (about 9 ms, during which the victim stands still, for
 * 10,000 frames on JDK 17), where the top frames cost what a shallow stack does (0.15 ms). And the whole stack when
 * needed. The thread management bean, which does both, costs about 25 ms to start, so the deliverer starts it while
 * it has nothing to do ({@link #prepare}), or when it must. Until then, or where it is missing or refuses (a virtual
 * thread, a runtime image without {@code java.management}), {@code Thread.getStackTrace} it is.
 *
 * <p>From JDK 19 on, {@code Thread.getStackTrace} of another thread is a handshake with that thread alone, where the
 * bean's look is a safepoint that stops every thread of the JVM (0.1 to 0.3 ms, once per kill, for bystanders that
 * have nothing to do with it); but it stops at {@code MaxJavaStackTraceDepth} frames (1,024 by default, fewer where
 * someone made exceptions cheaper; 0: no limit). So there, once that limit is known, it is the first look, and the
 * bean is asked only for a stack it may have cut; until the limit is known, any stack it gives may be cut.
 */
public final class StackSamples {
    /** Frames in a head: enough to hold the innermost selected frame of almost any stack. */
    static final int HEAD = 64;
    /** Thread.getStackTrace of another thread is a handshake with it alone, cut at MaxJavaStackTraceDepth frames. */
    static final boolean BY_HANDSHAKE = Runtime.version().feature() >= 19;
    private static final int UNKNOWN = -1;
    /** Where Thread.getStackTrace cuts, from JDK 19 on: 0 nowhere, UNKNOWN until {@link #prepare} reads it (or if it cannot). */
    private static volatile int cut = UNKNOWN;
    private static volatile ThreadMXBean threads;
    private static volatile boolean prepared;

    private StackSamples() {
    }

    /** Starts the thread management bean and reads where stack traces are cut, once. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (BY_HANDSHAKE) {
            try {
                cut = Math.max(0, Integer.parseInt(vmOption("MaxJavaStackTraceDepth")));
            } catch (Throwable e) {
                // not HotSpot, no jdk.management, or not allowed: the bean looks first, as before JDK 19
            }
        }
        try {
            threads = ManagementFactory.getThreadMXBean(); // after the cut: a look that finds the bean finds the cut too
        } catch (Throwable e) {
            // no java.management, or not allowed: whole stacks it is
        }
    }

    /** A HotSpot flag's value, through its diagnostic bean, by name: the runtime depends on nothing outside java.* (house rule). */
    private static String vmOption(String name) throws ReflectiveOperationException {
        Class<? extends PlatformManagedObject> diagnostic = Class.forName("com.sun.management.HotSpotDiagnosticMXBean", false,
                ClassLoader.getPlatformClassLoader()).asSubclass(PlatformManagedObject.class);
        Object option = diagnostic.getMethod("getVMOption", String.class).invoke(ManagementFactory.getPlatformMXBean(diagnostic), name);
        return (String) option.getClass().getMethod("getValue").invoke(option);
    }

    /** The top of {@code t}'s stack, or all of it: complete unless {@link #partial}. */
    static StackTraceElement[] head(Thread t) {
        StackTraceElement[] head = BY_HANDSHAKE && cut != UNKNOWN ? null : fromBean(t, HEAD);
        return head != null ? head : t.getStackTrace();
    }

    /** True if {@code head} may be only the top of a deeper stack. */
    static boolean partial(StackTraceElement[] head) {
        if (!BY_HANDSHAKE) {
            return head.length >= HEAD;
        }
        int c = cut;
        return c == UNKNOWN || (c > 0 && head.length >= c); // unknown: Thread.getStackTrace may have cut it anywhere
    }

    /** The whole stack of {@code t}, however deep. */
    public static StackTraceElement[] whole(Thread t) {
        if (BY_HANDSHAKE) {
            if (!prepared) {
                prepare(); // without the limit no stack from Thread.getStackTrace can be taken as whole
            }
            int c = cut;
            if (c != UNKNOWN) {
                StackTraceElement[] stack = t.getStackTrace();
                if (c == 0 || stack.length < c) {
                    return stack;
                }
            }
        }
        StackTraceElement[] whole = fromBean(t, Integer.MAX_VALUE);
        return whole != null ? whole : t.getStackTrace();
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19 on
    private static StackTraceElement[] fromBean(Thread t, int depth) {
        ThreadMXBean m = threads;
        if (m != null) {
            try {
                ThreadInfo[] info = m.getThreadInfo(new long[] {t.getId()}, false, false, depth);
                if (info.length == 1 && info[0] != null) {
                    return info[0].getStackTrace();
                }
            } catch (RuntimeException e) {
                // not allowed, or no such thread any more: Thread.getStackTrace says which
            }
        }
        return null;
    }
}
