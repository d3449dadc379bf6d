package dev.killswitch.config;

import java.util.List;
import java.util.Map;

/** The agent's settings after all sources were read and checked. */
public final class AgentConfig {
    private final List<ClassGlob> include;
    private final List<ClassGlob> exclude;
    private final boolean debug;
    /** For each key that was set, where it came from ("agent argument", ...). */
    private final Map<String, String> origins;

    AgentConfig(List<ClassGlob> include, List<ClassGlob> exclude, boolean debug, Map<String, String> origins) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.debug = debug;
        this.origins = Map.copyOf(origins);
    }

    public List<ClassGlob> include() {
        return include;
    }

    public List<ClassGlob> exclude() {
        return exclude;
    }

    public boolean debug() {
        return debug;
    }

    /** Where {@code key} was set, or null if it has its default value. */
    public String origin(String key) {
        return origins.get(key);
    }

    /** For the start-up line: {@code include=com.acme.** (agent argument), exclude=none}. */
    public String describe() {
        return "include=" + globs(include) + origin("include", " (", ")")
                + ", exclude=" + (exclude.isEmpty() ? "none" : globs(exclude) + origin("exclude", " (", ")"))
                + (debug ? ", debug=true" + origin("debug", " (", ")") : "");
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
}
