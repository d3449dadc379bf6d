package dev.killswitch.instrument.retrofit;

import dev.killswitch.config.AgentConfig;
import dev.killswitch.config.DeadlineSpec;
import dev.killswitch.instrument.AgentTransformer;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.InstalledTransformers;
import dev.killswitch.instrument.Retransformer;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.runtime.retrofit.Deadlines;
import dev.killswitch.runtime.retrofit.InterruptKills;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs the opt-ins that turn the cancellation code already sends into kills: {@code deadline},
 * {@code stop-shim} and {@code interrupt-kills}. Called after the kill-point transformer is installed, so
 * that these transformers see classes after it. A part that fails says so and leaves the rest working.
 */
public final class RetrofitInstaller {
    private RetrofitInstaller() {
    }

    public static void install(AgentConfig config, ClassSelector selector, TransformReporter reporter, InstalledTransformers installed,
                        boolean attached, PrintStream out) {
        Instrumentation instrumentation = installed.instrumentation();
        AgentConfig.Retrofits retrofits = config.retrofits();
        if (!retrofits.deadlines().isEmpty()) {
            installDeadlines(retrofits.deadlines(), selector, reporter, installed, attached, config.debug(), out);
        }
        if (retrofits.stopShim()) {
            installed.add(new StopShimTransformer(reporter, out, config.debug(), instrumentation));
        }
        if (retrofits.interruptKills()) {
            hookInterrupts(installed, out);
        }
    }

    private static void installDeadlines(List<DeadlineSpec> specs, ClassSelector selector, TransformReporter reporter,
                                         InstalledTransformers installed, boolean attached, boolean debug, PrintStream out) {
        Instrumentation instrumentation = installed.instrumentation();
        String[] names = new String[specs.size()];
        long[] budgets = new long[specs.size()];
        String[] texts = new String[specs.size()];
        List<String[]> methods = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            DeadlineSpec spec = specs.get(i);
            names[i] = spec.method();
            budgets[i] = spec.budget().toNanos();
            texts[i] = spec.budgetText();
            methods.add(new String[] {spec.className(), spec.methodName()});
            String internal = spec.className().replace('.', '/');
            if (ClassSelector.isNeverInstrumented(internal)) {
                out.println("killswitch: deadline " + spec + " names a JDK or killswitch class, which is never instrumented; it is ignored");
            } else if (!selector.selects(internal)) {
                out.println("killswitch: deadline " + spec + ": " + spec.className() + " is not selected by include, so the kill"
                        + " lands only in selected code that the method calls");
            }
        }
        Deadlines.configure(names, budgets, texts);
        DeadlineTransformer transformer = new DeadlineTransformer(methods, reporter, out, debug, instrumentation);
        installed.add(transformer);
        if (attached) {
            List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> c : instrumentation.getAllLoadedClasses()) {
                if (transformer.classNames().contains(c.getName().replace('.', '/')) && instrumentation.isModifiableClass(c)) {
                    loaded.add(c);
                }
            }
            Retransformer.retransform(instrumentation, loaded, "deadline: ", out);
        }
    }

    /** Makes java.base call the runtime from Thread.interrupt(), then changes that method in the loaded thread classes. */
    private static void hookInterrupts(InstalledTransformers installed, PrintStream out) {
        Instrumentation instrumentation = installed.instrumentation();
        try {
            InterruptKills.enable();
            Module base = Thread.class.getModule();
            AgentTransformer.letRead(instrumentation, base);
            installed.add(new InterruptHookTransformer(out));
            List<Class<?>> hooked = new ArrayList<>();
            for (Class<?> c : instrumentation.getAllLoadedClasses()) {
                if (c.getClassLoader() == null && InterruptHookTransformer.HOOKED.contains(c.getName().replace('.', '/'))) {
                    hooked.add(c); // VirtualThread, when not loaded yet, is hooked as it loads
                }
            }
            Retransformer.retransform(instrumentation, hooked, "interrupt-kills: ", out);
        } catch (Throwable t) {
            out.println("killswitch: interrupt-kills=true could not hook Thread.interrupt(), so interrupts stay plain interrupts: " + t);
        }
    }
}
