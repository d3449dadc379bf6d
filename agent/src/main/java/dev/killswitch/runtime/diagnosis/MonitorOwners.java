package dev.killswitch.runtime.diagnosis;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * What a thread BLOCKED entering a {@code synchronized} block waits for. Nothing wakes such a thread,
 * not even an interrupt; only the owner of the monitor can free it, so that is what a kill reports.
 * Loads the management classes on first use, which is a kill of a blocked thread, never at start-up.
 */
public final class MonitorOwners {
    private MonitorOwners() {
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    public static String describe(Thread blocked) {
        try {
            ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(blocked.getId());
            if (info == null) {
                return "it is BLOCKED entering a synchronized block, which nothing can interrupt"
                        + " (the JDK does not report monitor owners for virtual threads)";
            }
            if (info.getThreadState() != Thread.State.BLOCKED) {
                return null;
            }
            StringBuilder s = new StringBuilder("it is BLOCKED entering a synchronized block on ").append(info.getLockName());
            if (info.getLockOwnerId() >= 0) {
                s.append(", held by thread ").append(info.getLockOwnerId()).append(" \"").append(info.getLockOwnerName())
                        .append("\"; nothing can interrupt that wait: the kill lands once that thread releases the monitor,"
                                + " killing it frees this one");
            }
            return s.toString();
        } catch (RuntimeException | LinkageError e) {
            return "it is BLOCKED entering a synchronized block, which nothing can interrupt";
        }
    }
}
