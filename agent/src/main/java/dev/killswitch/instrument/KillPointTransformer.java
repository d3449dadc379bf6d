package dev.killswitch.instrument;

import dev.killswitch.delivery.CleanupRegions;
import dev.killswitch.delivery.InstrumentedClasses;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * The agent's class-file transformer: selected classes get kill points, every other class is
 * returned untouched (null) after a name check. It never throws and never loads a class: a class it
 * cannot handle is loaded as it was, and reported once.
 */
public final class KillPointTransformer implements ClassFileTransformer {
    private final ClassSelector selector;
    private final KillPointInserter inserter = new KillPointInserter();
    private final TransformReporter reporter;
    private final Instrumentation instrumentation;
    /** The module of the kill-point runtime: classes in named modules must be able to read it. */
    private final Module runtimeModule = InstrumentedClasses.class.getModule();
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

    /**
     * @param instrumentation used only to let named modules read the runtime; may be null where no
     *        named module is instrumented (tests)
     */
    public KillPointTransformer(ClassSelector selector, TransformReporter reporter, Instrumentation instrumentation) {
        this.selector = selector;
        this.reporter = reporter;
        this.instrumentation = instrumentation;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || !selector.selects(className) || isJdkModule(module, loader)) {
            return null;
        }
        String name = className.replace('/', '.');
        if (busy.get() != null) {
            reporter.leftUnchanged(name, new IllegalStateException("it was loaded while the agent was transforming another class"));
            return null;
        }
        busy.set(Boolean.TRUE);
        long start = System.nanoTime();
        try {
            KillPointInserter.Result result = inserter.instrument(classfileBuffer);
            if (result.totalKillPoints() == 0) {
                return null;
            }
            letModuleReadRuntime(module);
            if (!result.cleanupRegions().isEmpty() || classBeingRedefined != null) {
                CleanupRegions.register(loader, name, result.cleanupRegions());
            }
            InstrumentedClasses.register(name, result.usesSharedSwitch(), classBeingRedefined != null, result.killPoints(),
                    System.nanoTime() - start);
            reporter.instrumented(name, result);
            return result.bytes();
        } catch (Throwable t) {
            reporter.leftUnchanged(name, t);
            return null;
        } finally {
            busy.remove();
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    /** JDK classes live in named modules of the boot layer, defined by the bootstrap or platform loader. */
    static boolean isJdkModule(Module module, ClassLoader loader) {
        return module != null && module.isNamed() && module.getLayer() == ModuleLayer.boot()
                && (loader == null || loader == ClassLoader.getPlatformClassLoader());
    }

    private void letModuleReadRuntime(Module module) {
        if (module == null || !module.isNamed() || module.canRead(runtimeModule) || instrumentation == null) {
            return;
        }
        instrumentation.redefineModule(module, Set.of(runtimeModule), Map.of(), Map.of(), Set.of(), Map.of());
    }
}
