package com.acme.kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * Put and take on an {@code ArrayBlockingQueue}, timed after warm-up, alone ({@code one}) or after two more queue
 * classes were put and taken too ({@code mix}), each from a method of its own, so that without the agent every call
 * site sees one class. Under the agent all of them run the original call from the same place in the runtime, whose
 * type profile then holds three classes. Prints the median and best of 15 timings, in ns per put and take.
 */
public final class QueueMix {
    private static final int WARM_UP = 200_000;
    private static final int TIMED = 1_000_000;

    private QueueMix() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean mix = args.length > 0 && args[0].equals("mix");
        BlockingQueue<Integer> array = new ArrayBlockingQueue<>(16);
        BlockingQueue<Integer> linked = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> priority = new PriorityBlockingQueue<>();
        long sink = 0;
        for (int i = 0; i < 20; i++) {
            sink += onArray(array, WARM_UP);
            if (mix) {
                sink += onLinked(linked, WARM_UP);
                sink += onPriority(priority, WARM_UP);
            }
        }
        long[] nanos = new long[15];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            sink += onArray(array, TIMED);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.println(String.format(Locale.ROOT, "%s: median %.2f ns, best %.2f ns a put and take (checksum %d)",
                mix ? "three queue classes" : "one queue class", nanos[nanos.length / 2] / (double) TIMED,
                nanos[0] / (double) TIMED, sink));
    }

    // Three copies on purpose: each method's put and take are call sites of their own, with a profile of their own.

    private static long onArray(BlockingQueue<Integer> q, int n) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            q.put(i & 7);
            sum += q.take();
        }
        return sum;
    }

    private static long onLinked(BlockingQueue<Integer> q, int n) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            q.put(i & 7);
            sum += q.take();
        }
        return sum;
    }

    private static long onPriority(BlockingQueue<Integer> q, int n) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            q.put(i & 7);
            sum += q.take();
        }
        return sum;
    }
}
