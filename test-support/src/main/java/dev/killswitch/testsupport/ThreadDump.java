package dev.killswitch.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The threads of a child JVM that did not answer in time, taken with the JDK's own {@code jcmd PID Thread.print}:
 * a wait that times out then says where each thread of the child was, not only what it had printed.
 */
final class ThreadDump {
    private static final long WAIT_SECONDS = 20;

    private ThreadDump() {
    }

    /** The dump, or a sentence saying why there is none; never throws. */
    static String of(Path java, long pid) {
        Path jcmd = java.resolveSibling("jcmd");
        Path out = null;
        try {
            out = Files.createTempFile("thread-dump", ".txt"); // a file, not a pipe: a long dump cannot block jcmd
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print", "-l")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(jcmd " + pid + " Thread.print did not answer within " + WAIT_SECONDS + " s)";
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no thread dump: " + jcmd + " could not run: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}
