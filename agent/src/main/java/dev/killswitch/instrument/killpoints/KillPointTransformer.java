package dev.killswitch.instrument.killpoints;

import dev.killswitch.instrument.AgentTransformer;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.instrument.ondemand.OnDemandClasses;
import dev.killswitch.runtime.registry.CleanupRegions;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.KillPointKind;

import java.lang.instrument.Instrumentation;

/**
 * The agent's class-file transformer: selected classes get kill points, every other class is
 * returned untouched (null) after a name check. It never throws and never loads a class: a class it
 * cannot handle is loaded as it was, and reported once.
 */
public final class KillPointTransformer extends AgentTransformer {
    private final ClassSelector selector;
    private final KillPointInserter inserter;
    private final TransformReporter reporter;
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();
    private final OnDemandClasses onDemand;

    /**
     * @param instrumentation used only to let named modules read the runtime; may be null where no
     *        named module is instrumented (tests)
     */
    public KillPointTransformer(ClassSelector selector, TransformReporter reporter, Instrumentation instrumentation) {
        this(selector, reporter, instrumentation, new OnDemandClasses());
    }

    /** @param onDemand the classes kills asked for, beyond those selected */
    public KillPointTransformer(ClassSelector selector, TransformReporter reporter, Instrumentation instrumentation,
                                OnDemandClasses onDemand) {
        this(selector, reporter, instrumentation, onDemand, new KillPointInserter());
    }

    /** With the {@code invokedynamic} kill points that class files get once numbers run out, for their tests. */
    public static KillPointTransformer withoutNumbers(ClassSelector selector, TransformReporter reporter) {
        return new KillPointTransformer(selector, reporter, null, new OnDemandClasses(), KillPointInserter.withoutNumbers());
    }

    private KillPointTransformer(ClassSelector selector, TransformReporter reporter, Instrumentation instrumentation,
                                 OnDemandClasses onDemand, KillPointInserter inserter) {
        super(instrumentation);
        this.inserter = inserter;
        this.selector = selector;
        this.reporter = reporter;
        this.onDemand = onDemand;
    }

    @Override
    protected boolean wants(ClassLoader loader, String className, byte[] classFile) {
        return selector.selects(className) || onDemand.wants(className);
    }

    /** The JDK packages that include-jdk names. */
    @Override
    protected boolean takesJdkClass(String className) {
        return selector.selectsJdk(className);
    }

    @Override
    protected byte[] rewrite(ClassLoader loader, String className, Class<?> classBeingRedefined, byte[] classFile) {
        String name = className.replace('/', '.');
        if (busy.get() != null) {
            reporter.leftUnchanged(name, new IllegalStateException("it was loaded while the agent was transforming another class"));
            return null;
        }
        busy.set(Boolean.TRUE);
        long start = System.nanoTime();
        try {
            // At a retransformation, frames running now keep the code this replaces: where a kill may land below them is read
            // from that code in the same pass, unless it was this agent's own (the JVM hands over the class as it was before
            // any retransformation), whose records stay valid.
            boolean wasOurs = classBeingRedefined != null && CleanupRegions.instrumented(loader, name);
            KillPointInserter.Result result = inserter.instrument(classFile, classBeingRedefined != null && !wasOurs);
            if (result.totalKillPoints() == 0) {
                return null;
            }
            report(name, result);
            // Recorded last: nothing after this can fail, and the JVM may run the new code before this method returns.
            if (classBeingRedefined != null) {
                CleanupRegions.registerRetransformed(loader, name, result.cleanupRegions(), result.replacedCode(), result.namesSource());
            } else {
                CleanupRegions.register(loader, name, result.cleanupRegions());
            }
            InstrumentedClasses.register(name, result.usesSharedSwitch(), classBeingRedefined != null, result.killPoints(),
                    System.nanoTime() - start);
            return result.bytes();
        } finally {
            busy.remove();
        }
    }

    @Override
    protected void leftUnchanged(String className, Throwable why) {
        reporter.leftUnchanged(className, why);
    }

    private void report(String className, KillPointInserter.Result result) {
        for (String method : result.skippedMethods()) {
            reporter.once(className + "." + method, "killswitch: " + className + "." + method
                    + " left without kill points: with them its code would exceed the JVM's 64 KB limit");
        }
        if (reporter.debug()) {
            for (String method : result.staticRedirects()) {
                reporter.debugLine("killswitch: " + className + "." + method + ": its blocking calls go through plain static calls,"
                        + " which share one type profile: as invokedynamic its code would exceed the JVM's 64 KB limit");
            }
            for (String block : result.uncheckedCatchBlocks()) {
                reporter.debugLine("killswitch: " + className + ": catch block not checked, a kill it catches stays caught: " + block);
            }
            reporter.debugLine("killswitch: instrumented " + className + ": "
                    + result.killPoints(KillPointKind.BACK_EDGE) + " back-edge, "
                    + result.killPoints(KillPointKind.METHOD_ENTRY) + " method-entry kill points, "
                    + result.killPoints(KillPointKind.BLOCKING_CALL) + " blocking calls, "
                    + result.killPoints(KillPointKind.CATCH_EXIT) + " catch- and finally-block exits"
                    + " (class file " + result.classFileVersion() + ", " + result.pollStyle() + ")");
        }
    }
}
