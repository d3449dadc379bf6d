package com.acme.legacy;

import junit.framework.TestCase;

/** A JUnit 3 test case run by the instrumented junit 3.8.1 framework. */
public class LegacySuite extends TestCase {
    private int[] data;

    @Override
    protected void setUp() {
        data = new int[100];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
    }

    public void testSum() {
        int sum = 0;
        for (int x : data) {
            sum += x;
        }
        assertEquals(4950, sum);
    }

    public void testCatchInsideLoop() {
        int caught = 0;
        for (int i = 0; i < 10; i++) {
            try {
                Integer.parseInt("x" + i);
            } catch (NumberFormatException e) {
                caught++;
            }
        }
        assertEquals(10, caught);
    }

    public void testRecursion() {
        assertEquals(55, fib(10));
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
