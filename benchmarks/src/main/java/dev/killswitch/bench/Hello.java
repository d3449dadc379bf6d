package dev.killswitch.bench;

/** The hello world whose start-up the agent must not slow down. */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
