package dev.killswitch.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the agent's settings from, in order of precedence: the agent arguments
 * ({@code include=com.acme.**;debug=true}), system properties ({@code -Dkillswitch.include=...}) and
 * environment variables ({@code KILLSWITCH_INCLUDE=...}). For each key the first source that sets it
 * wins; sources are not merged. Anything the agent does not understand in its arguments and properties is an
 * error: the agent prefers instrumenting nothing to instrumenting something else than was asked. Of the
 * environment, shared with every other program, only the variables of known keys are read.
 */
public final class ConfigLoader {
    public static final String INCLUDE = "include";
    public static final String EXCLUDE = "exclude";
    public static final String DEBUG = "debug";
    public static final String INTERRUPT_KILLS = "interrupt-kills";
    public static final String STOP_SHIM = "stop-shim";
    public static final String DEADLINE = "deadline";
    public static final String INCLUDE_JDK = "include-jdk";
    public static final String ON_DEMAND = "on-demand";
    /** One line per kill through the JDK's System.Logger; on unless set to false. */
    public static final String LOG_KILLS = "log-kills";
    static final List<String> KEYS = List.of(INCLUDE, EXCLUDE, DEBUG, INTERRUPT_KILLS, STOP_SHIM, DEADLINE, INCLUDE_JDK, ON_DEMAND, LOG_KILLS);
    /**
     * The JDK packages where a kill may land, because the state a kill interrupts there belongs to the killed
     * thread alone. The README says why for each; every other JDK package is never changed.
     */
    public static final List<String> SAFE_JDK_PACKAGES = List.of("java.util.regex");

    static final String PROPERTY_PREFIX = "killswitch.";
    static final String ENV_PREFIX = "KILLSWITCH_";

    private ConfigLoader() {
    }

    public static AgentConfig load(String agentArgs, Properties systemProperties, Map<String, String> environment)
            throws ConfigException {
        Map<String, String> fromArgs = parseAgentArguments(agentArgs);
        Map<String, String> fromProps = fromSystemProperties(systemProperties);
        Map<String, String> fromEnv = fromEnvironment(environment);

        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (String key : KEYS) {
            if (fromArgs.containsKey(key)) {
                values.put(key, fromArgs.get(key));
                origins.put(key, "agent argument");
            } else if (fromProps.containsKey(key)) {
                values.put(key, fromProps.get(key));
                origins.put(key, "system property " + PROPERTY_PREFIX + key);
            } else if (fromEnv.containsKey(key)) {
                values.put(key, fromEnv.get(key));
                origins.put(key, "environment variable " + envName(key));
            }
        }
        List<ClassGlob> include = values.containsKey(INCLUDE) ? globs(INCLUDE, values.get(INCLUDE), origins.get(INCLUDE)) : List.of();
        List<String> includeJdk = values.containsKey(INCLUDE_JDK) ? jdkPackages(values.get(INCLUDE_JDK), origins.get(INCLUDE_JDK)) : List.of();
        List<ClassGlob> onDemand = values.containsKey(ON_DEMAND) ? onDemand(values.get(ON_DEMAND), origins.get(ON_DEMAND)) : null;
        if (include.isEmpty() && includeJdk.isEmpty() && onDemand != null && onDemand.isEmpty()) {
            throw new ConfigException("no classes selected: with on-demand=none, give include=<patterns> as agent argument"
                    + " (-javaagent:killswitch-agent.jar=include=com.acme.**), system property "
                    + PROPERTY_PREFIX + INCLUDE + " or environment variable " + envName(INCLUDE));
        }
        List<ClassGlob> exclude = values.containsKey(EXCLUDE)
                ? globs(EXCLUDE, values.get(EXCLUDE), origins.get(EXCLUDE)) : List.of();
        boolean debug = values.containsKey(DEBUG) && bool(DEBUG, values.get(DEBUG), origins.get(DEBUG));
        boolean interruptKills = values.containsKey(INTERRUPT_KILLS)
                && bool(INTERRUPT_KILLS, values.get(INTERRUPT_KILLS), origins.get(INTERRUPT_KILLS));
        boolean stopShim = values.containsKey(STOP_SHIM) && bool(STOP_SHIM, values.get(STOP_SHIM), origins.get(STOP_SHIM));
        List<DeadlineSpec> deadlines = values.containsKey(DEADLINE)
                ? DeadlineSpec.parseList(values.get(DEADLINE), origins.get(DEADLINE)) : List.of();
        boolean logKills = !values.containsKey(LOG_KILLS) || bool(LOG_KILLS, values.get(LOG_KILLS), origins.get(LOG_KILLS));
        return new AgentConfig(include, exclude, debug, new AgentConfig.Retrofits(interruptKills, stopShim, deadlines), origins,
                includeJdk, onDemand, logKills);
    }

    static Map<String, String> parseAgentArguments(String args) throws ConfigException {
        Map<String, String> result = new LinkedHashMap<>();
        if (args == null || args.isBlank()) {
            return result;
        }
        for (String pair : args.split(";", -1)) {
            if (pair.isBlank()) {
                continue; // tolerate "a=b;" and "a=b;;c=d"
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("cannot parse agent argument \"" + pair.trim()
                        + "\": expected key=value pairs separated by ';', as in include=com.acme.**;debug=true");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (key.isEmpty()) {
                throw new ConfigException("cannot parse agent argument \"" + pair.trim() + "\": the key before '=' is missing");
            }
            checkKnown(key, "agent argument");
            if (result.put(key, value) != null) {
                throw new ConfigException("agent argument " + key + " is given twice");
            }
        }
        return result;
    }

    private static Map<String, String> fromSystemProperties(Properties properties) throws ConfigException {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                String key = name.substring(PROPERTY_PREFIX.length());
                checkKnown(key, "system property " + name);
                result.put(key, properties.getProperty(name).trim());
            }
        }
        return result;
    }

    /**
     * Only the variables of known keys: the environment is shared with everything else on the machine, and a
     * {@code KILLSWITCH_HOME} set for some script must not switch the agent off.
     */
    private static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String key : KEYS) {
            String value = environment.get(envName(key));
            if (value != null) {
                result.put(key, value.trim());
            }
        }
        return result;
    }

    private static List<ClassGlob> globs(String key, String value, String origin) throws ConfigException {
        if (value.isEmpty()) {
            throw new ConfigException(key + " is empty (" + origin + "): give one or more class patterns such as com.acme.**");
        }
        List<ClassGlob> globs = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String text = item.trim();
            if (text.isEmpty()) {
                throw new ConfigException(key + " \"" + value + "\" (" + origin + ") has an empty pattern between commas");
            }
            try {
                globs.add(ClassGlob.parse(text));
            } catch (ConfigException e) {
                throw new ConfigException(key + " (" + origin + "): " + e.getMessage());
            }
        }
        return globs;
    }

    /** {@code include-jdk}: only packages of {@link #SAFE_JDK_PACKAGES}. */
    private static List<String> jdkPackages(String value, String origin) throws ConfigException {
        List<String> packages = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String name = item.trim();
            if (!SAFE_JDK_PACKAGES.contains(name)) {
                throw new ConfigException(INCLUDE_JDK + " \"" + name + "\" (" + origin + ") is not a JDK package where a kill is safe:"
                        + " a kill may land only where the state it interrupts belongs to the killed thread alone, which holds for "
                        + String.join(", ", SAFE_JDK_PACKAGES) + "; every other JDK package is never changed");
            }
            if (!packages.contains(name)) {
                packages.add(name);
            }
        }
        return packages;
    }

    /** {@code on-demand}: {@code all} (the default), {@code none}, or the class patterns that may be instrumented on demand. */
    private static List<ClassGlob> onDemand(String value, String origin) throws ConfigException {
        if (value.equalsIgnoreCase("all")) {
            return null;
        }
        if (value.equalsIgnoreCase("none")) {
            return List.of();
        }
        try {
            return globs(ON_DEMAND, value, origin);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + "; or give on-demand=all (the default) or on-demand=none");
        }
    }

    private static boolean bool(String key, String value, String origin) throws ConfigException {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key + " must be true or false, not \"" + value + "\" (" + origin + ")");
    }

    private static void checkKnown(String key, String where) throws ConfigException {
        if (KEYS.contains(key)) {
            return;
        }
        String suggestion = closest(key);
        throw new ConfigException("unknown key \"" + key + "\" in " + where
                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                + "; known keys: " + String.join(", ", KEYS));
    }

    private static String closest(String key) {
        String best = null;
        int bestDistance = 3;
        for (String known : KEYS) {
            int d = distance(key.toLowerCase(Locale.ROOT), known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
