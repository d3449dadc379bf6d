package dev.killswitch.instrument.killpoints;

import org.objectweb.asm.ClassReader;

/**
 * Which methods of a class file have exception handlers, read straight from the {@code Code}
 * attributes before ASM parses anything. Only those methods are buffered for the analysis of their
 * catch blocks; every other method streams through as before.
 */
final class MethodsWithHandlers {
    private MethodsWithHandlers() {
    }

    /** For each method, in class-file order (the order ASM visits them): true if its code has an exception table. */
    static boolean[] of(ClassReader reader) {
        char[] buffer = new char[reader.getMaxStringLength()];
        int u = reader.header + 6; // access, this, super
        u += 2 + 2 * reader.readUnsignedShort(u); // interfaces
        int fields = reader.readUnsignedShort(u);
        u += 2;
        for (int f = 0; f < fields; f++) {
            u = skipMember(reader, u);
        }
        int methods = reader.readUnsignedShort(u);
        u += 2;
        boolean[] out = new boolean[methods];
        for (int m = 0; m < methods; m++) {
            int attributes = reader.readUnsignedShort(u + 6);
            u += 8;
            for (int a = 0; a < attributes; a++) {
                int length = reader.readInt(u + 2);
                if ("Code".equals(reader.readUTF8(u, buffer))) {
                    int codeLength = reader.readInt(u + 6 + 4);
                    out[m] = reader.readUnsignedShort(u + 6 + 8 + codeLength) > 0;
                }
                u += 6 + length;
            }
        }
        return out;
    }

    private static int skipMember(ClassReader reader, int u) {
        int attributes = reader.readUnsignedShort(u + 6);
        u += 8;
        for (int a = 0; a < attributes; a++) {
            u += 6 + reader.readInt(u + 2);
        }
        return u;
    }
}
