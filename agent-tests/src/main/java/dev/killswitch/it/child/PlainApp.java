package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ordinary application: computes with the fixtures, then tries to kill a spinning thread. With a
 * good configuration the kill lands; with a bad one the application must run all the same and the
 * kill be refused with the reason. Exits 0 either way.
 */
public final class PlainApp {
    private PlainApp() {
    }

    public static void main(String[] args) throws Exception {
        Report.line("APP STARTED", Map.of("active", Killswitch.isActive()));
        Report.line("COMPUTED", Map.of("result", Fixtures.call("com.acme.shapes.Shapes", "whileLoop", 1000) + Fixtures.call("com.acme.shapes.Shapes", "tryCatchFinally", 1000)));
        Thread spinner = Fixtures.forever("com.acme.shapes.Shapes", "whileTrue", "spinner");
        spinner.start();
        Fixtures.awaitIn(spinner, "whileTrue"); // a kill is aimed at selected code the thread runs
        KillHandle handle = Killswitch.kill(spinner, "plain app");
        boolean delivered = handle.awaitDelivery(Fixtures.PROMPTLY);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", handle.status());
        fields.put("delivered", delivered);
        fields.put("describe", handle.describe());
        Report.line("KILL", fields);
        Report.line("APP DONE");
        System.exit(0);
    }
}
