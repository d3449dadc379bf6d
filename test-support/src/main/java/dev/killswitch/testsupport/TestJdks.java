package dev.killswitch.testsupport;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDKs every child-JVM test runs under: the one running the tests, plus each JDK home listed in
 * the system property {@code test.jdks} (set from the environment variable {@code TEST_JDKS}),
 * separated by the path separator. {@code .ci/run} finds JDK 25 and passes it that way. Without any,
 * the tests for the extra JDK are reported as skipped, with the reason. Shared by agent-tests and compat.
 */
public final class TestJdks {
    private static final List<Jdk> ALL = load();

    private TestJdks() {
    }

    /** For {@code @MethodSource("dev.killswitch.testsupport.TestJdks#all")}. */
    public static List<Jdk> all() {
        return ALL;
    }

    private static List<Jdk> load() {
        List<Jdk> jdks = new ArrayList<>();
        jdks.add(Jdk.at(Path.of(System.getProperty("java.home"))));
        String extra = System.getProperty("test.jdks", "");
        if (extra.isBlank() || extra.startsWith("${")) {
            String reason = "no extra JDK given: set TEST_JDKS to one or more JDK homes (for example a JDK 25)"
                    + " to run the child-JVM tests under them too";
            System.err.println("killswitch tests: " + reason);
            jdks.add(Jdk.missing(reason));
            return List.copyOf(jdks);
        }
        for (String home : extra.split(File.pathSeparator)) {
            if (!home.isBlank()) {
                Jdk jdk = Jdk.at(Path.of(home.trim()));
                if (jdks.stream().noneMatch(j -> j.home().equals(jdk.home()))) {
                    jdks.add(jdk);
                }
            }
        }
        return List.copyOf(jdks);
    }
}
