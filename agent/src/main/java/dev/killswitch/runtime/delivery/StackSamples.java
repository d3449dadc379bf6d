package dev.killswitch.runtime.delivery;

import java.lang.management.ManagementFactory;
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
 * have nothing to do with it); so there it is the first look. But it stops at {@code MaxJavaStackTraceDepth} frames
 * (1,024 by default, fewer where someone made exceptions cheaper, none at 0), and a stack it may have cut is asked of
 * the bean. Where it cuts is found by the same flag's cut of a stack trace of known depth ({@link #limit}): at the
 * first look, up to {@value #FIRST_PROBE} frames (0.2 ms), and past the default cut when the deliverer is idle.
 */
public final class StackSamples {
    /** Frames in a head: enough to hold the innermost selected frame of almost any stack. */
    static final int HEAD = 64;
    /** Thread.getStackTrace of another thread is a handshake with it alone, cut at MaxJavaStackTraceDepth frames. */
    static final boolean BY_HANDSHAKE = Runtime.version().feature() >= 19;
    /** How deep the first look for the cut goes: past a head, cheaply. */
    static final int FIRST_PROBE = HEAD + 16;
    /** How deep the second look goes: past the default cut, 1,024. */
    static final int SECOND_PROBE = 1100;
    private static final int NOT_YET = -1;
    /** The limit where the cut could not be found: the bean looks first, as before JDK 19. */
    private static final int UNKNOWN = 0;
    /**
     * From JDK 19 on: a stack from Thread.getStackTrace this long or longer may have been cut; UNKNOWN, or NOT_YET. It
     * only ever grows, from one true bound to a closer one, so a look may use any value it reads.
     */
    private static volatile int limit = NOT_YET;
    /** The limit is where the JVM cuts, or beyond the second probe: no closer bound to find. */
    private static boolean limitFinal;
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
        if (BY_HANDSHAKE && limit() != UNKNOWN) {
            probe(SECOND_PROBE); // nothing if the first found the cut itself
        }
        try {
            threads = ManagementFactory.getThreadMXBean();
        } catch (Throwable e) {
            // no java.management, or not allowed: whole stacks it is
        }
    }

    /**
     * From JDK 19 on, the length from which a stack that {@code Thread.getStackTrace} returns may have been cut; {@link
     * #UNKNOWN} before. A throwable's stack trace is cut by the same flag, counting the same frames (hidden ones are left
     * out of both), so a trace taken some calls deeper than a first one tells: shorter than the two add up to, it was
     * cut, and where; as long, nothing is cut before that length.
     */
    static int limit() {
        int l = limit;
        if (l == NOT_YET) {
            probe(FIRST_PROBE);
            l = limit;
        }
        return l;
    }

    private static synchronized void probe(int calls) {
        if (limitFinal) {
            return;
        }
        int found = UNKNOWN;
        if (BY_HANDSHAKE) {
            try {
                int base = new Throwable().getStackTrace().length;
                int deep = traceLength(calls); // base + calls + 1 frames, if not cut
                if (base > 0) {
                    found = Math.min(deep, base + calls);
                    limitFinal = deep < base + calls || calls >= SECOND_PROBE;
                }
            } catch (StackOverflowError e) {
                // a thread with a small stack: no bound found
            }
        }
        if (found != UNKNOWN) {
            limit = found;
        } else {
            limitFinal = true;
            if (limit == NOT_YET) {
                limit = UNKNOWN; // else the bound found before stands
            }
        }
    }

    /** The length of a stack trace taken {@code calls} calls deeper than here. */
    private static int traceLength(int calls) {
        return calls == 0 ? new Throwable().getStackTrace().length : traceLength(calls - 1);
    }

    /** The top of {@code t}'s stack, or all of it: complete unless {@link #partial}. */
    static StackTraceElement[] head(Thread t) {
        StackTraceElement[] head = BY_HANDSHAKE && limit() != UNKNOWN ? null : fromBean(t, HEAD);
        return head != null ? head : t.getStackTrace();
    }

    /** True if {@code head}, which {@link #head} returned, may be only the top of a deeper stack. */
    static boolean partial(StackTraceElement[] head) {
        int l = BY_HANDSHAKE ? limit() : UNKNOWN;
        return head.length >= (l == UNKNOWN ? HEAD : l); // the limit is known: head() used it
    }

    /** The whole stack of {@code t}, however deep. */
    public static StackTraceElement[] whole(Thread t) {
        int l = BY_HANDSHAKE ? limit() : UNKNOWN;
        if (l != UNKNOWN) {
            StackTraceElement[] stack = t.getStackTrace();
            if (stack.length < l) {
                return stack;
            }
            prepare(); // maybe cut: a closer bound, or the bean, which reads all of it
            if (stack.length < limit) {
                return stack;
            }
        }
        StackTraceElement[] whole = fromBean(t, Integer.MAX_VALUE);
        return whole != null ? whole : t.getStackTrace();
    }

    private static StackTraceElement[] fromBean(Thread t, int depth) {
        ThreadMXBean m = threads;
        if (m != null) {
            try {
                ThreadInfo[] info = m.getThreadInfo(new long[] {ThreadLabels.id(t)}, false, false, depth);
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
