package dev.killswitch.agent;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;

/**
 * With the Parallel and Serial collectors, HotSpot leaves safepoint polls out of counted loops. A kill
 * must wait for a safepoint to deoptimise the victim's compiled code, so it can be delayed until such
 * a loop ends. This prints, once, the flags that restore prompt delivery.
 */
final class GcHint {
    static final String FLAGS = "-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000";
    private static final long DELAY_MILLIS = 1000;

    private GcHint() {
    }

    /** Reading VM flags loads management classes: do it a second after start-up, off the application's way. */
    static void checkInBackground(PrintStream out) {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    Thread.sleep(DELAY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                check(out);
            }
        }, "killswitch-gc-check");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void check(PrintStream out) {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null) {
                return;
            }
            String gc = flag(vm, "UseParallelGC") ? "Parallel" : flag(vm, "UseSerialGC") ? "Serial" : null;
            if (gc != null && !flag(vm, "UseCountedLoopSafepoints")) {
                out.println("killswitch: this JVM uses the " + gc + " GC, which leaves safepoint polls out of counted loops;"
                        + " a kill can wait until such a loop ends. For prompt kills add " + FLAGS);
            }
        } catch (Throwable ignored) {
            // Not a HotSpot JVM, or management unavailable: no hint.
        }
    }

    private static boolean flag(HotSpotDiagnosticMXBean vm, String name) {
        try {
            return Boolean.parseBoolean(vm.getVMOption(name).getValue());
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
