package dev.killswitch.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local channel between the command-line tool and the agent in a JVM: a Unix-domain socket in a folder
 * that only the JVM's user may open, named after the JVM's process id. No TCP port, no JMX or RMI.
 *
 * <p>The tool sends the command's words; the agent runs the command in the JVM and sends back what it prints,
 * as it prints it, then the exit code. A JVM that ends during the command (a kill that ended a batch job) ends
 * the stream before the exit code, which the tool can tell apart from an answer.
 */
final class CommandChannel {
    /** The first words of a request, so that nothing else on the socket is taken for a command. */
    static final String HELLO = "killswitch-command/1";
    static final int OUT = 'o';
    static final int ERR = 'e';
    static final int EXIT = 'x';
    /** Text records stay well below writeUTF's 65,535-byte limit, even in 3-byte characters. */
    private static final int MAX_CHARS = 16_000;

    private CommandChannel() {
    }

    static final String FOLDER_PREFIX = ".killswitch-";
    static final String SOCKET_NAME = "control";

    /** The socket of the agent in JVM {@code pid}, whose temporary folder is {@code tmp}. */
    static Path socket(Path tmp, long pid) {
        return folder(tmp, pid).resolve(SOCKET_NAME);
    }

    /** The folder holding it: created by the agent, readable by its user only. */
    static Path folder(Path tmp, long pid) {
        return tmp.resolve(FOLDER_PREFIX + pid);
    }

    static void writeRequest(DataOutputStream out, String pid, List<String> words) throws IOException {
        out.writeUTF(HELLO);
        out.writeUTF(pid);
        out.writeInt(words.size());
        for (String w : words) {
            out.writeUTF(w);
        }
        out.flush();
    }

    /** The words of a request; the first is the process id as the user wrote it, for messages. */
    static List<String> readRequest(DataInputStream in) throws IOException {
        if (!HELLO.equals(in.readUTF())) {
            throw new IOException("not a killswitch command");
        }
        List<String> words = new ArrayList<>();
        words.add(in.readUTF());
        int n = in.readInt();
        if (n < 0 || n > 64) {
            throw new IOException("too many words: " + n);
        }
        for (int i = 0; i < n; i++) {
            words.add(in.readUTF());
        }
        return words;
    }

    static synchronized void writeText(DataOutputStream out, int kind, String text) throws IOException {
        for (int i = 0; i < text.length(); i += MAX_CHARS) {
            out.writeByte(kind);
            out.writeUTF(text.substring(i, Math.min(text.length(), i + MAX_CHARS)));
        }
        out.flush();
    }

    static synchronized void writeExit(DataOutputStream out, int code) throws IOException {
        out.writeByte(EXIT);
        out.writeInt(code);
        out.flush();
    }

    /** What a command prints in the JVM, sent to the tool as records of one kind, at each flush. */
    static final class RecordStream extends OutputStream {
        private final DataOutputStream channel;
        private final int kind;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        RecordStream(DataOutputStream channel, int kind) {
            this.channel = channel;
            this.kind = kind;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (pending.size() > 0) {
                String text = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                writeText(channel, kind, text);
            }
        }
    }
}
