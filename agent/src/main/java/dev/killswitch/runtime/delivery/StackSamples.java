package dev.killswitch.runtime.delivery;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * How the runtime looks at another thread's stack. First its top {@value #HEAD} frames only: {@code
 * Thread.getStackTrace} costs in proportion to the whole stack (about 9 ms, during which the victim stands still, for
 * 10,000 frames on JDK 17), where the top frames cost what a shallow stack does (0.15 ms). And the whole stack when
 * needed, which {@code Thread.getStackTrace} cuts at {@value #JVM_CUT} frames on recent JDKs (25: a thread running
 * selected code under 2,000 frames of a library would seem to run none). The thread management bean, which does
 * both, costs about 25 ms to start, so the deliverer starts it while it has nothing to do ({@link #prepare}), or when
 * a stack turns out that deep. Until then, or where it is missing or refuses (a virtual thread, a runtime image
 * without {@code java.management}), {@code Thread.getStackTrace} it is.
 *
 * <p>From JDK 19 on, {@code Thread.getStackTrace} of another thread is a handshake with that thread alone, and cut at
 * {@value #JVM_CUT} frames, where the bean's look is a safepoint that stops every thread of the JVM (0.1 to 0.3 ms,
 * once per kill, for bystanders that have nothing to do with it). There it is the first look, and the bean is asked
 * only for a stack it cut.
 */
public final class StackSamples {
    /** Frames in a head: enough to hold the innermost selected frame of almost any stack. */
    static final int HEAD = 64;
    /** Where {@code Thread.getStackTrace} stops on JDKs that apply {@code MaxJavaStackTraceDepth} to it (its default). */
    static final int JVM_CUT = 1024;
    /** Thread.getStackTrace of another thread is a handshake with it alone, and stops at {@value #JVM_CUT} frames. */
    static final boolean BY_HANDSHAKE = Runtime.version().feature() >= 19;
    private static volatile ThreadMXBean threads;
    private static volatile boolean prepared;

    private StackSamples() {
    }

    /** Starts the thread management bean, once. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        try {
            threads = ManagementFactory.getThreadMXBean();
        } catch (Throwable e) {
            // no java.management, or not allowed: whole stacks it is
        }
    }

    /** The top of {@code t}'s stack, or all of it: complete unless {@link #partial}. */
    static StackTraceElement[] head(Thread t) {
        StackTraceElement[] head = BY_HANDSHAKE ? null : fromBean(t, HEAD);
        return head != null ? head : t.getStackTrace();
    }

    /** The whole stack of {@code t}, however deep. */
    public static StackTraceElement[] whole(Thread t) {
        if (BY_HANDSHAKE) {
            StackTraceElement[] stack = t.getStackTrace();
            if (stack.length < JVM_CUT) {
                return stack;
            }
        }
        StackTraceElement[] whole = fromBean(t, Integer.MAX_VALUE);
        if (whole != null) {
            return whole;
        }
        whole = t.getStackTrace();
        if (whole.length >= JVM_CUT && !prepared) {
            prepare(); // maybe cut short: the bean tells
            StackTraceElement[] again = fromBean(t, Integer.MAX_VALUE);
            return again != null ? again : whole;
        }
        return whole;
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

    /** True if {@code head} may be only the top of a deeper stack. */
    static boolean partial(StackTraceElement[] head) {
        return head.length >= (BY_HANDSHAKE ? JVM_CUT : HEAD);
    }
}
