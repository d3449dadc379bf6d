package com.acme.slowload;

/**
 * A class whose static initialiser works in selected code until the test releases it ({@link Loader#release()}). A kill that landed in there would leave the class
 * unusable for every thread of the JVM (each later use: NoClassDefFoundError), so it must wait for the initialiser.
 */
public final class SlowInit {
    public static final long VALUE;

    static {
        System.out.println("@@ INITIALISING\tname=" + Thread.currentThread().getName());
        System.out.flush();
        VALUE = Loader.workUntilReleased();
    }

    private SlowInit() {
    }
}
