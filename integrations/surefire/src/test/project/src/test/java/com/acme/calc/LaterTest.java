package com.acme.calc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A test class that runs after the stuck test: the rest of the run. */
class LaterTest {
    @Test
    void stillRuns() {
        assertEquals(7, Calculator.add(3, 4));
    }
}
