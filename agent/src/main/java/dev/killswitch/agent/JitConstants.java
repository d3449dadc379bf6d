package dev.killswitch.agent;

import dev.killswitch.runtime.registry.JitConstant;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
        int count = u2(classFile, 8);
        int at = 10;
        for (int i = 1; i < count; i++) {
            int tag = classFile[at] & 0xFF;
            switch (tag) {
                case 1: // Utf8
                    int length = u2(classFile, at + 1);
                    if (length == MARK.length && Arrays.equals(classFile, at + 3, at + 3 + length, MARK, 0, MARK.length)) {
                        return replaced(classFile, at, 3 + length);
                    }
                    at += 3 + length;
                    break;
                case 5: // Long and Double take two entries
                case 6:
                    at += 9;
                    i++;
                    break;
                case 3: // Integer, Float, refs, NameAndType, Dynamic, InvokeDynamic
                case 4:
                case 9:
                case 10:
                case 11:
                case 12:
                case 17:
                case 18:
                    at += 5;
                    break;
                case 15: // MethodHandle
                    at += 4;
                    break;
                case 7: // Class, String, MethodType, Module, Package
                case 8:
                case 16:
                case 19:
                case 20:
                    at += 3;
                    break;
                default:
                    throw new IllegalArgumentException("unknown constant-pool tag " + tag + " at offset " + at);
            }
        }
        return classFile;
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

    private static int u2(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
