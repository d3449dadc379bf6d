package dev.killswitch.config;

import java.util.List;
import java.util.Map;

/** The agent's settings after all sources were read and checked. */
public final class AgentConfig {
    private final List<ClassGlob> include;
    private final List<ClassGlob> exclude;
    private final boolean debug;
    private final Retrofits retrofits;
    /** For each key that was set, where it came from ("agent argument", ...). */
    private final Map<String, String> origins;
    private final List<String> includeJdk;
    /** Null: every class that include could name. */
    private final List<ClassGlob> onDemand;
    private final boolean logKills;

    AgentConfig(List<ClassGlob> include, List<ClassGlob> exclude, boolean debug, Retrofits retrofits, Map<String, String> origins,
                List<String> includeJdk, List<ClassGlob> onDemand, boolean logKills) {
        this.logKills = logKills;
        this.includeJdk = List.copyOf(includeJdk);
        this.onDemand = onDemand == null ? null : List.copyOf(onDemand);
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.debug = debug;
        this.retrofits = retrofits;
        this.origins = Map.copyOf(origins);
    }

    public List<ClassGlob> include() {
        return include;
    }

    public List<ClassGlob> exclude() {
        return exclude;
    }

    /** {@code include-jdk}: the JDK packages (dotted) where kills may land; empty by default. */
    public List<String> includeJdk() {
        return includeJdk;
    }

    /**
     * {@code on-demand}: the classes that may be instrumented when a kill needs them, on the victim's stack; null for
     * every class that include could name (the default), empty for none.
     */
    public List<ClassGlob> onDemand() {
        return onDemand;
    }

    /** {@code all}, {@code none}, or the patterns of {@code on-demand}. */
    public String onDemandText() {
        return onDemand == null ? "all" : onDemand.isEmpty() ? "none" : globs(onDemand);
    }

    public boolean debug() {
        return debug;
    }

    /** {@code log-kills}: one line per kill through the JDK's System.Logger; true by default. */
    public boolean logKills() {
        return logKills;
    }

    /** The opt-ins that turn the cancellation code already sends into kills: interrupts, Thread.stop(), deadlines. */
    public Retrofits retrofits() {
        return retrofits;
    }

    /** Where {@code key} was set, or null if it has its default value. */
    public String origin(String key) {
        return origins.get(key);
    }

    /** For the start-up line: {@code include=com.acme.** (agent argument), exclude=none}. */
    public String describe() {
        return "include=" + (include.isEmpty() ? "none" : globs(include) + origin("include", " (", ")"))
                + ", exclude=" + (exclude.isEmpty() ? "none" : globs(exclude) + origin("exclude", " (", ")"))
                + (includeJdk.isEmpty() ? "" : ", include-jdk=" + String.join(",", includeJdk) + origin(ConfigLoader.INCLUDE_JDK, " (", ")"))
                + ", on-demand=" + onDemandText()
                + origin(ConfigLoader.ON_DEMAND, " (", ")")
                + (debug ? ", debug=true" + origin("debug", " (", ")") : "")
                + (logKills ? "" : ", log-kills=false" + origin(ConfigLoader.LOG_KILLS, " (", ")"))
                + (retrofits.interruptKills ? ", interrupt-kills=true" + origin(ConfigLoader.INTERRUPT_KILLS, " (", ")") : "")
                + (retrofits.stopShim ? ", stop-shim=true" + origin(ConfigLoader.STOP_SHIM, " (", ")") : "")
                + (retrofits.deadlines.isEmpty() ? "" : ", deadline=" + deadlines() + origin(ConfigLoader.DEADLINE, " (", ")"));
    }

    private String deadlines() {
        StringBuilder s = new StringBuilder();
        for (DeadlineSpec d : retrofits.deadlines) {
            s.append(s.length() == 0 ? "" : ",").append(d);
        }
        return s.toString();
    }

    private String origin(String key, String before, String after) {
        String o = origins.get(key);
        return o == null ? "" : before + o + after;
    }

    private static String globs(List<ClassGlob> globs) {
        StringBuilder s = new StringBuilder();
        for (ClassGlob g : globs) {
            s.append(s.length() == 0 ? "" : ",").append(g.text());
        }
        return s.toString();
    }

    /** The keys {@code interrupt-kills}, {@code stop-shim} and {@code deadline}. */
    public static final class Retrofits {
        private final boolean interruptKills;
        private final boolean stopShim;
        private final List<DeadlineSpec> deadlines;

        Retrofits(boolean interruptKills, boolean stopShim, List<DeadlineSpec> deadlines) {
            this.interruptKills = interruptKills;
            this.stopShim = stopShim;
            this.deadlines = List.copyOf(deadlines);
        }

        /** {@code interrupt-kills=true}: an interrupt of a thread running selected code kills it. */
        public boolean interruptKills() {
            return interruptKills;
        }

        /** {@code stop-shim=true}: calls of Thread.stop() and ThreadGroup.stop() become kills. */
        public boolean stopShim() {
            return stopShim;
        }

        /** The methods with a time budget, in the order given. */
        public List<DeadlineSpec> deadlines() {
            return deadlines;
        }
    }
}
