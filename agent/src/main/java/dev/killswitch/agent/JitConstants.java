package dev.killswitch.agent;

import dev.killswitch.instrument.flow.ConstantPool;
import dev.killswitch.runtime.registry.JitConstant;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the JDK's {@code @Stable} where the runtime's classes say {@link JitConstant}, before they are defined in the
 * boot loader: the JVM honours {@code @Stable} there (and only there), and javac will not compile a reference to it for
 * {@code --release 17}. The annotation's type is one string of the constant pool, so the rewrite replaces that string
 * and nothing else: constants are referred to by index, never by offset.
 */
final class JitConstants {
    /** {@link JitConstant}'s descriptor, written out: this runs before the runtime is defined, and must not load it here. */
    static final String MARK_DESCRIPTOR = "Ldev/killswitch/runtime/registry/JitConstant;";
    private static final byte[] MARK = MARK_DESCRIPTOR.getBytes(StandardCharsets.UTF_8);
    private static final byte[] STABLE = "Ljdk/internal/vm/annotation/Stable;".getBytes(StandardCharsets.UTF_8);

    private JitConstants() {
    }

    /** {@code classFile} with its {@link JitConstant} marks made {@code @Stable}; the same array if it has none. */
    static byte[] markedStable(byte[] classFile) {
        int at = ConstantPool.findUtf8(classFile, MARK);
        return at < 0 ? classFile : replaced(classFile, at, 3 + MARK.length);
    }

    private static byte[] replaced(byte[] classFile, int at, int oldLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(classFile.length + STABLE.length - MARK.length);
        out.write(classFile, 0, at);
        out.write(1);
        out.write(STABLE.length >>> 8);
        out.write(STABLE.length & 0xFF);
        out.write(STABLE, 0, STABLE.length);
        out.write(classFile, at + oldLength, classFile.length - at - oldLength);
        return out.toByteArray();
    }
}
