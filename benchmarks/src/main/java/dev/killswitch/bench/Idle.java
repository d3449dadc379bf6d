package dev.killswitch.bench;

/** A JVM that waits to be asked: the target of the command-line tool's figures. */
public final class Idle {
    private Idle() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
