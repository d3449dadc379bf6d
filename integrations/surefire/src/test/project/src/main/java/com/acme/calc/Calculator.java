package com.acme.calc;

/** Code under test; {@link #squareRoot} loops for ever on a negative number, as real code does now and then. */
public final class Calculator {
    private Calculator() {
    }

    public static int add(int a, int b) {
        return a + b;
    }

    /** Newton's iteration until it converges: it never does for a negative number. */
    public static double squareRoot(double x) {
        double guess = x;
        double next = (guess + x / guess) / 2;
        while (!(Math.abs(next - guess) <= 1e-12)) {
            guess = next;
            next = (guess + x / guess) / 2;
        }
        return next;
    }
}
