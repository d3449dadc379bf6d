package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the fixture classes, then kills one thread in {@code com.acme.shapes} and one in
 * {@code com.acme.waits}, and reports whether each kill landed. Run with different include and
 * exclude patterns.
 */
public final class SelectionApp {
    private SelectionApp() {
    }

    public static void main(String[] args) throws Exception {
        // Load and use a spread of classes so that the debug output lists what was instrumented.
        long r = 0;
        for (String shape : new String[] {"innerClass", "anonymousClass", "enumMethod", "lambda", "localClass", "interfaceDefault"}) {
            r += Fixtures.call("com.acme.shapes.Shapes", shape, 10);
        }
        r += Fixtures.call("com.acme.waits.Waits", "sleepSwallowingInterrupts", 1);
        Report.line("LOADED", Map.of("result", r));
        Report.line("SHAPES", kill(Fixtures.forever("com.acme.shapes.Shapes", "whileLoop", "shapes-spinner"), "whileLoop"));
        Report.line("WAITS", kill(Fixtures.forever("com.acme.waits.Waits", "sleepSwallowingInterrupts", "waits-sleeper"),
                "sleepSwallowingInterrupts"));
        Report.line("APP DONE");
        System.exit(0);
    }

    private static Map<String, Object> kill(Thread t, String method) throws InterruptedException {
        t.start();
        Fixtures.awaitIn(t, method); // running it, selected or not
        KillHandle handle = Killswitch.kill(t, "selection test");
        Map<String, Object> fields = new LinkedHashMap<>();
        boolean delivered = handle.awaitDelivery(Fixtures.PROMPTLY);
        if (delivered) {
            t.join(Fixtures.PROMPTLY.toMillis()); // delivered means thrown; give it the time to unwind
        }
        fields.put("delivered", delivered);
        fields.put("alive", t.isAlive());
        fields.put("pending", Killswitch.isKillPending(t));
        fields.put("describe", handle.describe());
        return fields;
    }
}
