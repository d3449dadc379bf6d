package com.acme.callbacks;

import org.apache.commons.collections4.IteratorUtils;
import org.apache.commons.collections4.iterators.LoopingIterator;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Selected code whose work is a short callback driven by a loop it does not own: the JDK's streams, a
 * library's iteration. A stack sample shows the driving loop and the selected caller, rarely the callback.
 */
public final class Callbacks {
    public static volatile long total;

    private Callbacks() {
    }

    public static long streamForEach(long n) {
        try {
            LongStream.iterate(0, i -> i + 1).forEach(i -> total += i);
            return total;
        } finally {
            cleaned("streamForEach");
        }
    }

    public static long libraryForEach(long n) {
        try {
            IteratorUtils.forEach(new LoopingIterator<>(Arrays.asList(1L, 2L, 3L)), i -> total += i);
            return total;
        } finally {
            cleaned("libraryForEach");
        }
    }

    private static void cleaned(String what) {
        System.out.println("@@ FINALLY\tname=" + Thread.currentThread().getName() + "\tin=" + what);
        System.out.flush();
    }
}
