package com.acme.kernels;

import java.util.function.LongSupplier;

/** Walks a linked list: a loop bound by memory latency, not arithmetic. */
public final class ListWalk implements LongSupplier {
    private static final class Node {
        final int value;
        final Node next;

        Node(int value, Node next) {
            this.value = value;
            this.next = next;
        }
    }

    private final Node head;

    public ListWalk(int size) {
        Node h = null;
        for (int i = 0; i < size; i++) {
            h = new Node(i % 1000, h);
        }
        head = h;
    }

    @Override
    public long getAsLong() {
        long sum = 0;
        for (Node p = head; p != null; p = p.next) {
            sum += p.value;
        }
        return sum;
    }
}
