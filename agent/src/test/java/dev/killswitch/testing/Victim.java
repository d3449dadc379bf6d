package dev.killswitch.testing;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.atomic.AtomicReference;

/** A thread that runs reflective fixture code and records what it died of. */
public final class Victim {
    public final Thread thread;
    public final AtomicReference<Throwable> died = new AtomicReference<>();

    private Victim(String name, Body body) {
        this.thread = new Thread(() -> {
            try {
                body.call();
            } catch (InvocationTargetException e) {
                died.set(e.getCause());
            } catch (Throwable t) {
                died.set(t);
            }
        }, name);
        thread.setDaemon(true);
    }

    public static Victim start(String name, Body body) {
        Victim v = new Victim(name, body);
        v.thread.start();
        return v;
    }

    /** What the victim runs. */
    public interface Body {
        Object call() throws Exception;
    }
}
