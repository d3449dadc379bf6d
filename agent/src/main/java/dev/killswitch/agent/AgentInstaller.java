package dev.killswitch.agent;

import dev.killswitch.cli.CommandServer;
import dev.killswitch.config.AgentConfig;
import dev.killswitch.config.ClassGlob;
import dev.killswitch.config.ConfigException;
import dev.killswitch.config.ConfigLoader;
import dev.killswitch.control.JmxRegistrar;
import dev.killswitch.control.KillEvents;
import dev.killswitch.control.KillLog;
import dev.killswitch.control.KillswitchControl;
import dev.killswitch.instrument.ClassSelector;
import dev.killswitch.instrument.InstalledTransformers;
import dev.killswitch.instrument.Retransformer;
import dev.killswitch.instrument.TransformReporter;
import dev.killswitch.instrument.killpoints.KillPointTransformer;
import dev.killswitch.instrument.ondemand.OnDemandClasses;
import dev.killswitch.instrument.ondemand.StackInstrumenter;
import dev.killswitch.instrument.retrofit.RetrofitInstaller;
import dev.killswitch.runtime.AgentOnly;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.ondemand.OnDemand;
import dev.killswitch.runtime.start.RuntimeStart;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.jar.JarFile;

/** Reads the configuration and, if it is sound, installs the transformer and opens the runtime for kills. */
public final class AgentInstaller {
    private AgentInstaller() {
    }

    /**
     * Called by {@link AgentStart}, in the agent's class loader, once the runtime is on the bootstrap side.
     *
     * @param attached true when loaded into a running JVM: classes already loaded are retransformed
     * @param agentJar the agent jar, for its version
     */
    public static void install(String agentArgs, Instrumentation instrumentation, boolean attached, File agentJar) {
        PrintStream out = System.err;
        if (KillRuntime.isActive()) {
            out.println("killswitch: already active in this JVM; the second load of the agent is ignored");
            return;
        }
        AgentOnly.admit(instrumentation);
        AgentConfig config;
        try {
            config = ConfigLoader.load(agentArgs, System.getProperties(), System.getenv());
        } catch (ConfigException e) {
            KillRuntime.disable(e.getMessage());
            out.println("killswitch: configuration error: " + e.getMessage()
                    + ". The agent is disabled and instruments nothing; the application runs unchanged.");
            return;
        }
        for (ClassGlob glob : config.include()) {
            if (ClassSelector.matchesOnlyProtectedClasses(glob)) {
                out.println("killswitch: include pattern " + glob.text()
                        + " matches only JDK or killswitch classes, which are never instrumented");
            }
        }
        TransformReporter reporter = new TransformReporter(config.debug(), out);
        ClassSelector selector = new ClassSelector(config.include(), config.exclude(), config.includeJdk(), config.onDemand());
        OnDemandClasses onDemand = new OnDemandClasses();
        InstalledTransformers ledger = new InstalledTransformers(instrumentation);
        int retransformed;
        try {
            // The retrofits first: the kill-point transformer must see their code to know where cleanup code is.
            RetrofitInstaller.install(config, selector, reporter, ledger, attached, out);
            ledger.add(new KillPointTransformer(selector, reporter, instrumentation, onDemand));
            if (selector.instrumentsOnDemand()) {
                OnDemand.instrumentWith(new StackInstrumenter(instrumentation, selector, onDemand, out));
            }
            RuntimeStart.activate(config.debug());
            // The JDK packages of include-jdk were loaded before the agent, like everything when it is attached.
            retransformed = attached || !config.includeJdk().isEmpty() ? Retransformer.retransformLoaded(instrumentation, selector) : 0;
        } catch (RuntimeException | LinkageError e) {
            // All or nothing: no transformer stays behind an agent that answers every kill with "not running".
            ledger.removeAll();
            OnDemand.instrumentWith(null);
            KillRuntime.disable("it could not start: " + e);
            out.println("killswitch: the agent could not start (" + e + "); it instruments nothing from now on and refuses kills;"
                    + " the application runs on. Please report this with the line above.");
            return;
        }
        out.println("killswitch: active, " + config.describe() + " (Java " + System.getProperty("java.version") + ")"
                + (attached ? "; attached to the running JVM, " + retransformed + " loaded classes instrumented by retransformation" : ""));
        GcHint.checkInBackground(out);
        KillswitchControl control = new KillswitchControl(texts(config.include()), texts(config.exclude()), config.onDemandText(),
                config.includeJdk().toArray(new String[0]), version(agentJar),
                attached ? retransformed : 0, instrumentation);
        JmxRegistrar.registerWhenAvailable(control, out, config.debug());
        CommandServer.start(control, out);
        KillEvents.install(out);
        if (config.logKills()) {
            KillLog.install();
        }
        if (config.debug()) {
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    out.println(DebugSummary.text());
                }
            }, "killswitch-summary"));
        }
    }

    private static String[] texts(List<ClassGlob> globs) {
        String[] texts = new String[globs.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = globs.get(i).text();
        }
        return texts;
    }

    static String version(File agentJar) {
        try (JarFile jar = new JarFile(agentJar)) {
            String v = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            return v == null ? "unknown" : v;
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
