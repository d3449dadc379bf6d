package dev.killswitch.compat.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A JDK to run the suites under: the one running the harness, and each JDK home listed in the system property
 * {@code test.jdks} (from the environment variable {@code TEST_JDKS}, separated by the path separator), as in
 * {@code agent-tests}. Without an extra JDK, its runs are reported as skipped, with the reason.
 */
public final class Jdk {
    private final Path home;
    private final int feature;
    private final String missingReason;

    private Jdk(Path home, int feature, String missingReason) {
        this.home = home;
        this.feature = feature;
        this.missingReason = missingReason;
    }

    public static List<Jdk> all() {
        List<Jdk> jdks = new ArrayList<>();
        jdks.add(at(Path.of(System.getProperty("java.home"))));
        String extra = System.getProperty("test.jdks", "");
        if (extra.isBlank() || extra.startsWith("${")) {
            jdks.add(new Jdk(null, 0, "no extra JDK given: set TEST_JDKS to one or more JDK homes (for example a JDK 25)"
                    + " to run the suites under them too"));
            return jdks;
        }
        for (String h : extra.split(File.pathSeparator)) {
            if (!h.isBlank()) {
                Jdk jdk = at(Path.of(h.trim()));
                if (jdks.stream().noneMatch(j -> jdk.home.equals(j.home))) {
                    jdks.add(jdk);
                }
            }
        }
        return jdks;
    }

    private static Jdk at(Path home) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("release"))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JDK home (no readable 'release' file): " + home, e);
        }
        String version = p.getProperty("JAVA_VERSION", "").replace("\"", "");
        return new Jdk(home, Integer.parseInt(version.split("[.+-]")[0]), null);
    }

    /** Aborts the calling test, visibly as skipped, if this JDK was not given. */
    public Jdk require() {
        assumeTrue(missingReason == null, missingReason);
        return this;
    }

    public Path java() {
        return require().home.resolve("bin").resolve("java");
    }

    public int feature() {
        return feature;
    }

    @Override
    public String toString() {
        return missingReason != null ? "extra JDK (none given)" : "JDK " + feature;
    }
}
