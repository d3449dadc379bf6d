package dev.killswitch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The process a command names, checked before anything is sent to it; needs no attach support. */
final class TargetProcess {
    private TargetProcess() {
    }

    /** The live process with id {@code pid}, if it may be a JVM. */
    static ProcessHandle check(String pid) throws CliException {
        if (!pid.matches("\\d{1,18}")) {
            throw new CliException(ExitCodes.USAGE, "not a process id: \"" + pid + "\" (jps lists the JVMs you can reach)");
        }
        long id = Long.parseLong(pid);
        if (id == ProcessHandle.current().pid()) {
            throw new CliException(ExitCodes.USAGE, "process " + pid + " is this tool itself");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(id);
        if (process.isEmpty()) {
            throw new CliException(ExitCodes.UNREACHABLE, "no process with id " + pid + " (jps lists the JVMs you can reach)");
        }
        if (isSurelyNotAJvm(id)) {
            throw new CliException(ExitCodes.UNREACHABLE, "process " + pid + " (" + process.get().info().command().orElse("?")
                    + ") is not a JVM (jps lists the JVMs you can reach)");
        }
        return process.get();
    }

    /**
     * Where the process's memory map is readable (Linux, same user), a JVM has libjvm mapped. Asking a
     * process that is no JVM would otherwise take the Attach API ten seconds to give up.
     */
    private static boolean isSurelyNotAJvm(long pid) {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        try (Stream<String> lines = Files.lines(maps, StandardCharsets.ISO_8859_1)) {
            return lines.noneMatch(l -> l.contains("libjvm"));
        } catch (IOException | RuntimeException e) {
            return false; // no /proc, or not ours to read: let the Attach API decide
        }
    }

    /** Why the process cannot be reached, in words. */
    static String unreachable(ProcessHandle process, Exception e) {
        String message = String.valueOf(e.getMessage());
        if (!process.isAlive()) {
            return "process " + process.pid() + " has ended";
        }
        String owner = process.info().user().orElse(null);
        String me = System.getProperty("user.name");
        if (owner != null && !owner.equals(me) && !owner.endsWith("\\" + me)) {
            return "JVM " + process.pid() + " runs as user " + owner + ", this tool as " + me
                    + ": run the tool as that user (for example sudo -u " + owner + " java -jar killswitch-agent.jar ...); " + message;
        }
        return "cannot attach to process " + process.pid() + ": it is not a JVM, or it does not accept attach requests"
                + " (for example -XX:+DisableAttachMechanism): " + message;
    }
}
