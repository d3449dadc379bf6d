package com.acme.slowload;

/** A class whose first load another agent's transformer makes slow. */
public final class Lazy {
    public static int touch() {
        return 1;
    }
}
