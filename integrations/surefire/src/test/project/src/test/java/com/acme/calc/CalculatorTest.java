package com.acme.calc;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CalculatorTest {
    @Test
    @Order(1)
    void adds() {
        assertEquals(5, Calculator.add(2, 3));
    }

    /** Stuck: JUnit interrupts it after 2 s, which the loop never looks at. */
    @Test
    @Order(2)
    @Timeout(2)
    void squareRootOfANegativeNumber() {
        try {
            Calculator.squareRoot(-4);
        } finally {
            System.out.println("@@ FINALLY squareRootOfANegativeNumber");
        }
    }

    @Test
    @Order(3)
    void squareRoot() {
        assertEquals(3.0, Calculator.squareRoot(9), 1e-9);
    }
}
