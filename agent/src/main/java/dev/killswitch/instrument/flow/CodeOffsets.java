package dev.killswitch.instrument.flow;

import org.objectweb.asm.ClassReader;

/**
 * The bytecode offset of every instruction of every method, read straight from a class file's {@code Code}
 * attributes. ASM gives instructions without their offsets, and rewriting a method may change how some are
 * encoded; the offsets of code as it was loaded are what a thread still running that code reports.
 */
public final class CodeOffsets {
    /** Operand bytes after the opcode, for fixed-length instructions; -1 for the variable-length ones. */
    private static final byte[] OPERANDS = new byte[256];

    static {
        java.util.Arrays.fill(OPERANDS, (byte) 0);
        for (int op : new int[] {0x10, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3a, 0xa9, 0xbc}) {
            OPERANDS[op] = 1; // bipush, ldc, loads and stores with an index, ret, newarray
        }
        for (int op = 0x99; op <= 0xa8; op++) {
            OPERANDS[op] = 2; // conditional jumps, goto, jsr
        }
        for (int op = 0xb2; op <= 0xb8; op++) {
            OPERANDS[op] = 2; // field access, invokevirtual, invokespecial, invokestatic
        }
        for (int op : new int[] {0x11, 0x13, 0x14, 0x84, 0xbb, 0xbd, 0xc0, 0xc1, 0xc6, 0xc7}) {
            OPERANDS[op] = 2; // sipush, ldc_w, ldc2_w, iinc, new, anewarray, checkcast, instanceof, ifnull, ifnonnull
        }
        OPERANDS[0xc5] = 3; // multianewarray
        for (int op : new int[] {0xb9, 0xba, 0xc8, 0xc9}) {
            OPERANDS[op] = 4; // invokeinterface, invokedynamic, goto_w, jsr_w
        }
        OPERANDS[0xaa] = -1; // tableswitch
        OPERANDS[0xab] = -1; // lookupswitch
        OPERANDS[0xc4] = -1; // wide
    }

    private CodeOffsets() {
    }

    /**
     * For each method, in class-file order (the order ASM visits them): the offsets of its instructions in code
     * order, one per instruction ASM reads, or null for a method without code.
     */
    public static int[][] of(ClassReader reader) {
        int[] code = codeAttributes(reader);
        int[][] out = new int[code.length][];
        for (int m = 0; m < code.length; m++) {
            if (code[m] >= 0) {
                out[m] = instructions(reader, code[m] + 8, reader.readInt(code[m] + 4));
            }
        }
        return out;
    }

    /**
     * For each method, in class-file order: where its {@code Code} attribute's contents start in the class file
     * ({@code max_stack}, {@code max_locals}, {@code code_length}, the code, the exception table, ...), or -1.
     */
    public static int[] codeAttributes(ClassReader reader) {
        char[] buffer = new char[reader.getMaxStringLength()];
        int u = reader.header + 6; // access, this, super
        u += 2 + 2 * reader.readUnsignedShort(u); // interfaces
        int fields = reader.readUnsignedShort(u);
        u += 2;
        for (int f = 0; f < fields; f++) {
            int attributes = reader.readUnsignedShort(u + 6);
            u += 8;
            for (int a = 0; a < attributes; a++) {
                u += 6 + reader.readInt(u + 2);
            }
        }
        int methods = reader.readUnsignedShort(u);
        u += 2;
        int[] out = new int[methods];
        for (int m = 0; m < methods; m++) {
            out[m] = -1;
            int attributes = reader.readUnsignedShort(u + 6);
            u += 8;
            for (int a = 0; a < attributes; a++) {
                int length = reader.readInt(u + 2);
                if ("Code".equals(reader.readUTF8(u, buffer))) {
                    out[m] = u + 6;
                }
                u += 6 + length;
            }
        }
        return out;
    }

    private static int[] instructions(ClassReader reader, int code, int length) {
        int[] offsets = new int[Math.max(1, length)];
        int n = 0;
        int pc = 0;
        while (pc < length) {
            offsets[n++] = pc;
            int opcode = reader.readByte(code + pc);
            int operands = OPERANDS[opcode];
            if (operands >= 0) {
                pc += 1 + operands;
            } else if (opcode == 0xc4) { // wide: iinc takes two more bytes
                pc += reader.readByte(code + pc + 1) == 0x84 ? 6 : 4;
            } else {
                int p = (pc + 4) & ~3; // after the padding
                if (opcode == 0xaa) {
                    int low = reader.readInt(code + p + 4);
                    int high = reader.readInt(code + p + 8);
                    pc = p + 12 + 4 * (high - low + 1);
                } else {
                    pc = p + 8 + 8 * reader.readInt(code + p + 4);
                }
            }
        }
        return java.util.Arrays.copyOf(offsets, n);
    }
}
