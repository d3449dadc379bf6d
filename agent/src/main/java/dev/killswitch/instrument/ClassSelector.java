package dev.killswitch.instrument;

import dev.killswitch.config.ClassGlob;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides by name which classes get kill points: those matched by an include pattern and by no
 * exclude pattern, never the agent's own, and of the JDK only the packages that {@code include-jdk} names.
 * Also says which classes may be instrumented on demand, when a kill needs them.
 */
public final class ClassSelector {
    /** Internal-name prefixes that are never instrumented, whatever the patterns say. */
    static final List<String> NEVER = List.of(
            "java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/killswitch/");

    private final List<ClassGlob> include;
    private final List<ClassGlob> exclude;
    /** Internal names of the JDK packages where kills may land, with a trailing slash: {@code java/util/regex/}. */
    private final List<String> jdkPackages;
    /** Null for every class include could name. */
    private final List<ClassGlob> onDemand;

    public ClassSelector(List<ClassGlob> include, List<ClassGlob> exclude) {
        this(include, exclude, List.of(), List.of());
    }

    /**
     * @param jdkPackages dotted names of the JDK packages {@code include-jdk} names
     * @param onDemand the classes that may be instrumented on demand; null for all that include could name
     */
    public ClassSelector(List<ClassGlob> include, List<ClassGlob> exclude, List<String> jdkPackages, List<ClassGlob> onDemand) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        List<String> internal = new ArrayList<>();
        for (String p : jdkPackages) {
            internal.add(p.replace('.', '/') + '/');
        }
        this.jdkPackages = List.copyOf(internal);
        this.onDemand = onDemand == null ? null : List.copyOf(onDemand);
    }

    /** @param internalName a class name such as {@code com/acme/Job$Step} */
    public boolean selects(String internalName) {
        if (isNeverInstrumented(internalName)) {
            return selectsJdk(internalName);
        }
        boolean included = false;
        for (ClassGlob glob : include) {
            if (glob.matches(internalName)) {
                included = true;
                break;
            }
        }
        if (!included) {
            return false;
        }
        for (ClassGlob glob : exclude) {
            if (glob.matches(internalName)) {
                return false;
            }
        }
        return true;
    }

    /** True for a class of a JDK package that {@code include-jdk} names (that package only, not its sub-packages). */
    public boolean selectsJdk(String internalName) {
        for (String p : jdkPackages) {
            if (internalName.startsWith(p) && internalName.indexOf('/', p.length()) < 0 && !internalName.endsWith("package-info")) {
                return true;
            }
        }
        return false;
    }

    /** True if a kill may instrument this class, found on its victim's stack: what include could name, unless excluded. */
    public boolean mayInstrumentOnDemand(String internalName) {
        if (onDemand != null && onDemand.isEmpty() || isNeverInstrumented(internalName)) {
            return false;
        }
        for (ClassGlob glob : exclude) {
            if (glob.matches(internalName)) {
                return false;
            }
        }
        if (onDemand == null) {
            return true;
        }
        for (ClassGlob glob : onDemand) {
            if (glob.matches(internalName)) {
                return true;
            }
        }
        return false;
    }

    /** False with on-demand=none. */
    public boolean instrumentsOnDemand() {
        return onDemand == null || !onDemand.isEmpty();
    }

    public static boolean isNeverInstrumented(String internalName) {
        for (String prefix : NEVER) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return internalName.endsWith("module-info") || internalName.endsWith("package-info");
    }

    /** True if every class the pattern can match is one that is never instrumented. */
    public static boolean matchesOnlyProtectedClasses(ClassGlob glob) {
        String prefix = glob.literalPrefix();
        for (String never : NEVER) {
            if (prefix.startsWith(never)) {
                return true;
            }
        }
        return false;
    }
}
