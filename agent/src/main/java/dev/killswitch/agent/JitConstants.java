package dev.killswitch.agent;

import dev.killswitch.instrument.flow.ConstantPool;
import dev.killswitch.runtime.registry.JitConstant;
import dev.killswitch.runtime.registry.JitOutOfLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the JDK's {@code @Stable} where the runtime's classes say {@link JitConstant}, and its {@code @DontInline}
 * where they say {@link JitOutOfLine}, before they are defined in the boot loader: the JVM honours both there (and only
 * there), and javac will not compile a reference to them for {@code --release 17}. An annotation's type is one string
 * of the constant pool, so the rewrite replaces that string and nothing else: constants are referred to by index,
 * never by offset.
 */
final class JitConstants {
    /** {@link JitConstant}'s descriptor, written out: this runs before the runtime is defined, and must not load it here. */
    static final String MARK_DESCRIPTOR = "Ldev/killswitch/runtime/registry/JitConstant;";
    private static final byte[] MARK = MARK_DESCRIPTOR.getBytes(StandardCharsets.UTF_8);
    private static final byte[] STABLE = "Ljdk/internal/vm/annotation/Stable;".getBytes(StandardCharsets.UTF_8);
    /** {@link JitOutOfLine}'s descriptor, written out for the same reason. */
    static final String OUT_OF_LINE_DESCRIPTOR = "Ldev/killswitch/runtime/registry/JitOutOfLine;";
    private static final byte[] OUT_OF_LINE = OUT_OF_LINE_DESCRIPTOR.getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONT_INLINE = "Ljdk/internal/vm/annotation/DontInline;".getBytes(StandardCharsets.UTF_8);

    private JitConstants() {
    }

    /**
     * {@code classFile} with its {@link JitConstant} marks made {@code @Stable} and its {@link JitOutOfLine} marks
     * {@code @DontInline}; the same array if it has neither.
     */
    static byte[] markedForJit(byte[] classFile) {
        return replaced(replaced(classFile, MARK, STABLE), OUT_OF_LINE, DONT_INLINE);
    }

    private static byte[] replaced(byte[] classFile, byte[] mark, byte[] jdk) {
        int at = ConstantPool.findUtf8(classFile, mark);
        if (at < 0) {
            return classFile;
        }
        int oldLength = 3 + mark.length; // tag, length, bytes
        ByteArrayOutputStream out = new ByteArrayOutputStream(classFile.length + jdk.length - mark.length);
        out.write(classFile, 0, at);
        out.write(1);
        out.write(jdk.length >>> 8);
        out.write(jdk.length & 0xFF);
        out.write(jdk, 0, jdk.length);
        out.write(classFile, at + oldLength, classFile.length - at - oldLength);
        return out.toByteArray();
    }
}
