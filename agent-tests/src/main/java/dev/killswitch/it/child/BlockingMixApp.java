package dev.killswitch.it.child;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * Runs {@code com.acme.jit.BlockingMix} until C2 has compiled its methods: blocking calls on three queue classes and
 * three lock classes, each class from its own method. Run with the JIT's account of what it inlined in
 * {@code onArray} and {@code onReentrant}, the test reads whether each call was compiled for its own class.
 */
public final class BlockingMixApp {
    private BlockingMixApp() {
    }

    public static void main(String[] args) throws Exception {
        Method round = Class.forName("com.acme.jit.BlockingMix").getMethod("round", int.class);
        long sum = 0;
        for (int i = 0; i < 200; i++) {
            sum += (Long) round.invoke(null, 10_000);
        }
        Report.line("RAN", Map.of("sum", sum));
    }
}
