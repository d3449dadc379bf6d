package com.acme.ondemand;

import dev.killswitch.Killswitch;
import org.apache.commons.collections4.IteratorUtils;
import org.apache.commons.collections4.iterators.LoopingIterator;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runaway work whose loops run in code nobody selected: a published library's and the JDK's regular
 * expressions. Each reports, from its {@code finally}, that its cleanup ran.
 */
public final class Work {
    /** Shared by every thread: a kill half-way through one match must leave it usable by the others. */
    static final Pattern SHARED = Pattern.compile("^(a+)+\\1$");
    public static volatile long progress;

    private Work() {
    }

    /** Counts the elements of an endless iterator with the library's utility: the loop is the library's. */
    public static long endlessIterator(long n) {
        try {
            return IteratorUtils.size(new LoopingIterator<>(Arrays.asList(1, 2, 3)));
        } finally {
            cleaned("endlessIterator");
        }
    }

    /**
     * A back-reference defeats the JDK's memoisation of nested quantifiers: each further 'a' doubles the time,
     * and all of it is spent in {@code java.util.regex}.
     */
    public static long regexCatastrophe(long n) {
        try {
            StringBuilder input = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                input.append('a');
            }
            return SHARED.matcher(input.append('!')).matches() ? 1 : 0;
        } finally {
            cleaned("regexCatastrophe");
        }
    }

    /** The shared pattern on an input it matches quickly: "aa" twice. */
    public static long regexCheck(long n) {
        boolean ok = SHARED.matcher("aaaa").matches() && !SHARED.matcher("aaa!").matches();
        System.out.println("@@ REGEX\tname=" + Thread.currentThread().getName() + "\tok=" + ok);
        System.out.flush();
        return ok ? 1 : 0;
    }

    /** A loop that calls nothing: instrumented while it runs, its frame keeps its old code for ever. */
    public static long callsNothing(long n) {
        long i = 0;
        while (n < 0 || i < n) {
            i++;
            progress = i;
        }
        return i;
    }

    /**
     * Two pieces of work in one thread, as a pool thread takes one task after another: the first spins in a loop of its
     * own (once instrumented on demand, its frame keeps its old code), then ends by itself a second after the kill; the
     * second is new code of the same class. A kill aimed at the first must not fall on the second.
     */
    public static long twoTasks(long n) {
        long first = spinFor(1000);
        long second = nextTask();
        System.out.println("@@ TASKS\tname=" + Thread.currentThread().getName() + "\tfirst=" + (first > 0) + "\tsecond=" + second);
        System.out.flush();
        return first + second;
    }

    /**
     * Spins until a kill of this thread is pending, then {@code millis} more (time for the kill to look at it), then
     * ends by itself: how soon the kill comes (a command-line tool's JVM starts first) does not decide which work it
     * meets. It asks now and then only, so that the loop is what a look at the thread finds; after a minute without a
     * kill it ends anyway.
     */
    static long spinFor(long millis) {
        long now = System.nanoTime();
        long end = now + TimeUnit.MINUTES.toNanos(1);
        boolean seen = false;
        long i = 0;
        while (now < end) {
            i++;
            if (!seen && (i & 0xFFFF) == 0 && Killswitch.isKillPending(Thread.currentThread())) {
                seen = true;
                end = now + TimeUnit.MILLISECONDS.toNanos(millis);
            }
            now = System.nanoTime();
        }
        return i;
    }

    /** A second of loops with kill points, once its class is instrumented: time enough for a kill to be armed here. */
    static long nextTask() {
        long end = System.nanoTime() + 1_000_000_000L;
        long rounds = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                progress += i;
            }
            rounds++;
        }
        return rounds > 0 ? 1 : 0;
    }

    /**
     * A finally block that is running when its class is instrumented on demand: its frame keeps the old code, but what it
     * calls is new. A kill must wait for the block's end, as it does in selected code.
     */
    public static long finallyInOldCode(long n) {
        try {
            progress++;
        } finally {
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                step();
            }
            System.out.println("@@ RELEASED\tname=" + Thread.currentThread().getName());
            System.out.flush();
        }
        return progress;
    }

    /**
     * A catch block that takes everything, in a frame that is running when its class is instrumented on demand: its old
     * code cannot raise a kill again, so a kill must not land where that catch would take it. After a few seconds the
     * loop ends and the frame goes on outside that catch, where the kill may land.
     */
    public static long catchesAllInOldCode(long n) {
        long end = System.nanoTime() + 6_000_000_000L; // long enough for the kill to come from a CLI started on a loaded machine
        try {
            while (System.nanoTime() < end) {
                try {
                    step();
                } catch (Throwable t) {
                    if (t.getClass().getSimpleName().equals("ThreadKilledError")) {
                        System.out.println("@@ SWALLOWED\tname=" + Thread.currentThread().getName());
                        System.out.flush();
                    }
                }
            }
            System.out.println("@@ LEFT\tname=" + Thread.currentThread().getName());
            System.out.flush();
            for (;;) {
                step();
            }
        } finally {
            cleaned("catchesAllInOldCode");
        }
    }

    static void step() {
        progress++;
    }

    private static void cleaned(String what) {
        System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName() + "\tin=" + what);
        System.out.flush();
    }
}
