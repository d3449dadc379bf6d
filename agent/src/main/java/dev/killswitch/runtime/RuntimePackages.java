package dev.killswitch.runtime;

/**
 * The one rule of what runs on the bootstrap side: the public API ({@code dev.killswitch}, its own
 * types) and everything under {@link #ROOT}. The build hides every other class of the agent jar from the
 * bootstrap loader; the premain class and the jar test read the root from the jar's manifest
 * ({@code Killswitch-Bootstrap-Root}), which the build writes from the same property, and the jar test
 * checks that it equals this constant, which the runtime uses to tell its own frames apart.
 */
public final class RuntimePackages {
    /** The package root of the bootstrap runtime. */
    public static final String ROOT = "dev.killswitch.runtime";

    private RuntimePackages() {
    }

    /** True for a class of the runtime: its frames are not the application's. */
    public static boolean isRuntimeClass(String className) {
        return className.startsWith(ROOT) && className.length() > ROOT.length() && className.charAt(ROOT.length()) == '.';
    }
}
