package dev.killswitch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code owner} file of a channel folder: which JVM holds it, by process id and start time, so that the tool can
 * tell the JVM it was given from another one whose folder has the same name (another container's, or an ended
 * process's whose id was given again). The start time is the kernel's, in clock ticks since boot, where
 * {@code /proc} gives it: the same for every reader, while a start time in milliseconds is worked out from a boot
 * time that moves when the clock is set. Elsewhere the milliseconds are compared, to within two seconds.
 */
final class ChannelOwner {
    static final String NAME = "owner";
    private static final String UNKNOWN = "?";
    private static final long MILLIS_SLACK = 2_000;
    /** The start time's field in {@code /proc/PID/stat}, counted from the first after the command's name. */
    private static final int START_TICKS_FIELD = 22 - 3;

    private ChannelOwner() {
    }

    /** Writes this JVM's line: another file than the lock's, whose closing would release the lock. */
    static void write(Path folder) throws IOException {
        ProcessHandle me = ProcessHandle.current();
        Files.writeString(folder.resolve(NAME), me.pid() + " " + startTicks("self") + " " + startMillis(me) + "\n",
                StandardCharsets.US_ASCII);
    }

    /**
     * Whether the folder's owner is {@code process}, as far as can be told. A folder without the file (an agent's
     * before there was one, or one between its claim and its owner's line), or a start time known on one side
     * only, is taken for the process's, as it was before.
     */
    static boolean is(Path folder, ProcessHandle process) {
        String[] written;
        try {
            written = Files.readString(folder.resolve(NAME), StandardCharsets.US_ASCII).trim().split(" ");
        } catch (IOException | RuntimeException noOwnerFile) {
            return true;
        }
        if (written.length != 3) {
            return true;
        }
        String ticks = startTicks(Long.toString(process.pid()));
        if (!ticks.equals(UNKNOWN) && !written[1].equals(UNKNOWN)) {
            return ticks.equals(written[1]);
        }
        String millis = startMillis(process);
        if (!millis.equals(UNKNOWN) && !written[2].equals(UNKNOWN)) {
            try {
                return Math.abs(Long.parseLong(millis) - Long.parseLong(written[2])) <= MILLIS_SLACK;
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return true;
    }

    /** From {@code /proc/PROCESS/stat}: {@code self} for this JVM, whose {@code /proc} may be another namespace's. */
    private static String startTicks(String process) {
        try {
            String stat = Files.readString(Path.of("/proc", process, "stat"), StandardCharsets.ISO_8859_1);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return fields.length > START_TICKS_FIELD && fields[START_TICKS_FIELD].matches("\\d+") ? fields[START_TICKS_FIELD] : UNKNOWN;
        } catch (IOException | RuntimeException noProc) {
            return UNKNOWN;
        }
    }

    private static String startMillis(ProcessHandle process) {
        return process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse(UNKNOWN);
    }
}
