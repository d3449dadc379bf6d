package dev.killswitch.testsupport;


import java.time.Duration;
import java.util.List;

/** Runs the command-line tool, {@code java -jar killswitch-agent.jar ARGS}, in its own JVM. */
public final class Cli {
    private Cli() {
    }

    public static Result run(Jdk jdk, String... args) {
        return run(jdk, List.of(), args);
    }

    public static Result run(Jdk jdk, List<String> jvmArgs, String... args) {
        try (ChildJvm cli = ChildJvm.with(jdk).withoutAgentJar().jvmArgs(jvmArgs.toArray(new String[0]))
                .jar(Paths.agentJar()).args(args).start()) {
            int exit = cli.awaitExit(Duration.ofSeconds(60));
            // The output pumps may still be reading the last lines of the exited process.
            cli.awaitOutputEnd();
            return new Result(exit, String.join("\n", cli.stdout()), String.join("\n", cli.stderr()), cli.describe());
        }
    }

    /** What the tool printed and its exit code. */
    public static final class Result {
        public final int exit;
        public final String out;
        public final String err;
        private final String description;

        Result(int exit, String out, String err, String description) {
            this.exit = exit;
            this.out = out;
            this.err = err;
            this.description = description;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n" + description;
        }
    }
}
