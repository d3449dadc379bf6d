package com.acme.legacy;

import junit.framework.TestCase;

/** A JUnit 3 test that never ends, and one that passes. */
public class SpinSuite extends TestCase {
    public static volatile boolean spinning;
    public static volatile int tearDowns;

    public SpinSuite(String name) {
        super(name);
    }

    public void testSpinForever() {
        long n = 0;
        while (true) {
            spinning = true;
            n++;
        }
    }

    public void testPasses() {
        assertTrue(true);
    }

    @Override
    protected void tearDown() {
        tearDowns++;
    }
}
