package dev.killswitch.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A JDK to start child JVMs with, or the placeholder of one that was not given. */
public final class Jdk {
    private final Path home;
    private final int feature;
    private final String missingReason;

    private Jdk(Path home, int feature, String missingReason) {
        this.home = home;
        this.feature = feature;
        this.missingReason = missingReason;
    }

    static Jdk at(Path home) {
        Path release = home.resolve("release");
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(release)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JDK home (no readable 'release' file): " + home, e);
        }
        String version = p.getProperty("JAVA_VERSION", "").replace("\"", "");
        int feature = Integer.parseInt(version.split("[.+-]")[0]);
        if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
            throw new IllegalArgumentException("no bin/java in " + home);
        }
        return new Jdk(home, feature, null);
    }

    static Jdk missing(String reason) {
        return new Jdk(null, 0, reason);
    }

    /** Aborts the calling test, visibly as skipped, if this JDK was not given. */
    public Jdk require() {
        assumeTrue(missingReason == null, missingReason);
        return this;
    }

    /** Aborts the calling test, visibly as skipped, unless this JDK is at least {@code feature}. */
    public Jdk requireAtLeast(int wanted, String what) {
        require();
        assumeTrue(feature >= wanted, what + " needs JDK " + wanted + " or newer; this is JDK " + feature);
        return this;
    }

    public Path java() {
        require();
        return home.resolve("bin").resolve("java");
    }

    public int feature() {
        return feature;
    }

    public Optional<Path> home() {
        return Optional.ofNullable(home);
    }

    @Override
    public String toString() {
        return missingReason != null ? "extra JDK (none given)" : "JDK " + feature;
    }
}
