package dev.killswitch.it.child;

import dev.killswitch.Killswitch;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Defines selected classes from bad bytes, a truncated class file and one of a class-file version
 * no JDK knows, then shows that the application and the agent carry on.
 */
public final class BrokenClassesApp {
    private BrokenClassesApp() {
    }

    public static void main(String[] args) throws Exception {
        byte[] good;
        try (InputStream in = ClassLoader.getSystemResourceAsStream("com/acme/shapes/Shapes.class")) {
            good = in.readAllBytes();
        }
        byte[] truncated = Arrays.copyOf(good, 200);
        Report.line("TRUNCATED", Map.of("error", define("com.acme.broken.Truncated", truncated)));

        byte[] future = good.clone();
        future[6] = 0;
        future[7] = 99;
        Report.line("FUTURE", Map.of("error", define("com.acme.shapes.Shapes", future)));

        Thread spinner = Fixtures.forever("com.acme.shapes.Shapes", "whileLoop", "spinner");
        spinner.start();
        Fixtures.awaitIn(spinner, "whileLoop"); // a kill is aimed at selected code the thread runs
        boolean delivered = Killswitch.kill(spinner, "after broken classes").awaitDelivery(Fixtures.PROMPTLY);
        Report.line("KILL", Map.of("delivered", delivered));
        Report.line("APP DONE");
        System.exit(0);
    }

    private static String define(String name, byte[] bytes) {
        try {
            new ClassLoader(BrokenClassesApp.class.getClassLoader()) {
                Class<?> define() {
                    return defineClass(name, bytes, 0, bytes.length);
                }
            }.define();
            return "none";
        } catch (Throwable t) {
            return t.getClass().getName();
        }
    }
}
