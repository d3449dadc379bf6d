package dev.killswitch.compat.child;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The spinner thread, and its kill: with the agent by {@code Killswitch.kill}, without it by telling the loop to stop. */
final class SpinnerRun {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Spinner spinner;
    private final Spin spin = new Spin();
    private final Thread thread;
    private final AtomicReference<Throwable> diedOf = new AtomicReference<>();
    private boolean killed;

    private SpinnerRun(Spinner spinner) {
        this.spinner = spinner;
        this.thread = new Thread(this::run, "compat-spinner");
        thread.setDaemon(true);
    }

    static SpinnerRun start(Spinner spinner) {
        SpinnerRun run = new SpinnerRun(spinner);
        run.thread.start();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (run.spin.rounds() == 0 && run.thread.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return run;
    }

    private void run() {
        try {
            spinner.spin(spin);
        } catch (Throwable t) {
            diedOf.set(t);
        }
    }

    synchronized boolean isKilled() {
        return killed;
    }

    /**
     * Kills the spinner and waits for it to end; records how it went.
     *
     * @param during where the kill came from: {@code midway} through the suite or {@code after} it
     */
    synchronized void kill(Results results, String during, long testsFinished, long testsPlanned) {
        if (killed) {
            return;
        }
        killed = true;
        long roundsBefore = spin.rounds();
        boolean aliveBefore = thread.isAlive();
        KillHandle handle = Killswitch.kill(thread, "compat harness: killed halfway through the library's own test suite");
        KillStatus requested = handle.status();
        boolean delivered = false;
        try {
            if (Killswitch.isActive()) {
                delivered = handle.awaitDelivery(PATIENCE);
            } else {
                spin.stop();
            }
            thread.join(PATIENCE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        results.put("kill.during", during);
        results.put("kill.testsFinished", testsFinished);
        results.put("kill.testsPlanned", testsPlanned);
        results.put("kill.spinnerAliveBefore", aliveBefore);
        results.put("kill.roundsBefore", roundsBefore);
        results.put("kill.statusRequested", requested);
        results.put("kill.status", handle.status());
        results.put("kill.delivered", delivered);
        results.put("kill.deliveredAt", handle.deliveredAt().map(Object::toString).orElse("none"));
        results.put("kill.latencyMicros", handle.deliveryLatency().map(d -> TimeUnit.NANOSECONDS.toMicros(d.toNanos())).orElse(-1L));
        results.put("kill.loopPackage", spinner.loopPackage());
        results.put("kill.spinnerEnded", !thread.isAlive());
        Throwable t = diedOf.get();
        results.put("kill.spinnerDiedOf", t == null ? (thread.isAlive() ? "still running" : "none") : t.getClass().getName());
        results.put("kill.spinnerDiedAt", t == null || t.getStackTrace().length == 0 ? "none" : t.getStackTrace()[0].toString());
    }
}
