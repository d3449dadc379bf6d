package dev.killswitch.instrument.killpoints;

import dev.killswitch.instrument.flow.CodeOffsets;
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
        int[] code = CodeOffsets.codeAttributes(reader);
        boolean[] out = new boolean[code.length];
        for (int m = 0; m < code.length; m++) {
            if (code[m] >= 0) {
                int codeLength = reader.readInt(code[m] + 4);
                out[m] = reader.readUnsignedShort(code[m] + 8 + codeLength) > 0;
            }
        }
        return out;
    }
}
