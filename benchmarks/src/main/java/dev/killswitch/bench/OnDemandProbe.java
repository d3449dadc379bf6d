package dev.killswitch.bench;

import dev.killswitch.KillHandle;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;
import org.example.lib.EndlessRows;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Runs in a fresh child JVM: one victim, hot for a second, killed once, timed from {@code Killswitch.kill} returning
 * to the victim catching the error. A fresh JVM per kill, because instrumenting on demand happens once per class.
 * Cases: {@code library}, a loop in a library nobody selected, under a bare agent (the kill instruments it);
 * {@code regex}, a catastrophic regular expression, under {@code include-jdk=java.util.regex}.
 */
public final class OnDemandProbe {
    private OnDemandProbe() {
    }

    public static void main(String[] args) throws Exception {
        ProbeArgs read = new ProbeArgs("on-demand probe", "OnDemandProbe library|regex", args);
        read.noMoreThan(1);
        String kase = read.oneOf(0, "the case", List.of("library", "regex"));
        long[] caught = new long[1];
        Thread victim = new Thread(() -> {
            try {
                if (kase.equals("library")) {
                    EndlessRows.count(EndlessRows.cycle(1, 2, 3));
                } else {
                    StringBuilder input = new StringBuilder();
                    for (int i = 0; i < 60; i++) {
                        input.append('a');
                    }
                    Pattern.compile("^(a+)+\\1$").matcher(input.append('!')).matches();
                }
            } catch (ThreadKilledError e) {
                caught[0] = System.nanoTime();
            }
        }, "victim");
        victim.setDaemon(true);
        victim.start();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1200));
        KillHandle handle = Killswitch.kill(victim, "on-demand probe");
        long returned = System.nanoTime();
        victim.join(60_000);
        if (caught[0] == 0) {
            System.out.println("NOT DELIVERED: " + handle.describe());
            System.exit(1);
        }
        System.out.println(String.format(Locale.ROOT, "RESULT\tcase=%s\tms=%.3f\tclasses=%d", kase, (caught[0] - returned) / 1e6,
                handle.instrumentedOnDemand().size()));
        System.exit(0);
    }
}
