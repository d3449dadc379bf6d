package dev.killswitch.instrument;

import dev.killswitch.runtime.RuntimePackages;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * What every transformer of the agent's does around its own rewriting: it leaves alone classes it is not
 * for and the JDK's, never throws (a class it cannot handle loads as it was, and is reported), and lets a
 * class in a named module read the runtime that its new code calls. Subclasses say which classes they want
 * and rewrite them.
 */
public abstract class AgentTransformer implements ClassFileTransformer {
    private static final Module RUNTIME = RuntimePackages.class.getModule();

    private final Instrumentation instrumentation;

    /** @param instrumentation to let named modules read the runtime; may be null where none is rewritten (tests) */
    protected AgentTransformer(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /** A cheap first look: false leaves the class untouched. */
    protected abstract boolean wants(ClassLoader loader, String className, byte[] classFile);

    /** @return the new class file, or null to leave the class as it is */
    protected abstract byte[] rewrite(ClassLoader loader, String className, Class<?> classBeingRedefined, byte[] classFile)
            throws Exception;

    /** True for a JDK class (internal name) this transformer may change: none, unless a subclass says so. */
    protected boolean takesJdkClass(String className) {
        return false;
    }

    /** Says that {@code className} (dotted) loads as it was, because of {@code why}. */
    protected abstract void leftUnchanged(String className, Throwable why);

    @Override
    public final byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                  ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || isJdkModule(module, loader) && !takesJdkClass(className) || !wants(loader, className, classfileBuffer)) {
            return null;
        }
        try {
            // Before the rewriting registers anything: a read edge that turns out not to be needed is harmless.
            letReadRuntime(module);
            return rewrite(loader, className, classBeingRedefined, classfileBuffer);
        } catch (Throwable t) {
            leftUnchanged(className.replace('/', '.'), t);
            return null;
        }
    }

    @Override
    public final byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                  ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    /** JDK classes live in named modules of the boot layer, defined by the bootstrap or platform loader. */
    public static boolean isJdkModule(Module module, ClassLoader loader) {
        return module != null && module.isNamed() && module.getLayer() == ModuleLayer.boot()
                && (loader == null || loader == ClassLoader.getPlatformClassLoader());
    }

    /** Code in a named module reaches the runtime only if its module reads the runtime's (unnamed) module. */
    private void letReadRuntime(Module module) {
        if (module != null && module.isNamed() && !module.canRead(RUNTIME) && instrumentation != null) {
            letRead(instrumentation, module);
        }
    }

    /** Adds a read edge from {@code module} to the runtime's module. */
    public static void letRead(Instrumentation instrumentation, Module module) {
        instrumentation.redefineModule(module, Set.of(RUNTIME), Map.of(), Map.of(), Set.of(), Map.of());
    }
}
