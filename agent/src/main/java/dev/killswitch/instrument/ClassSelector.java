package dev.killswitch.instrument;

import dev.killswitch.config.ClassGlob;

import java.util.List;

/**
 * Decides by name which classes get kill points: those matched by an include pattern and by no
 * exclude pattern, never JDK classes and never the agent's own.
 */
public final class ClassSelector {
    /** Internal-name prefixes that are never instrumented, whatever the patterns say. */
    static final List<String> NEVER = List.of(
            "java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/killswitch/");

    private final List<ClassGlob> include;
    private final List<ClassGlob> exclude;

    public ClassSelector(List<ClassGlob> include, List<ClassGlob> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    /** @param internalName a class name such as {@code com/acme/Job$Step} */
    public boolean selects(String internalName) {
        if (isNeverInstrumented(internalName)) {
            return false;
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
