package dev.killswitch.instrument.flow;

/**
 * Walks a class file's constant pool from its bytes, without parsing the class: for the checks that only need to
 * know whether a string is there, and where.
 */
public final class ConstantPool {
    private ConstantPool() {
    }

    /**
     * Offset of the Utf8 constant whose bytes are {@code text}, or -1 if the pool has none.
     *
     * @throws IllegalArgumentException for a tag this agent does not know (a pool it cannot walk)
     */
    public static int findUtf8(byte[] b, byte[] text) {
        int count = u2(b, 8);
        int p = 10;
        for (int i = 1; i < count; i++) {
            int tag = b[p];
            if (tag == 1) {
                int length = u2(b, p + 1);
                if (length == text.length && bytesAt(b, p + 3, text)) {
                    return p;
                }
                p += 3 + length;
            } else {
                int size = entrySize(tag);
                if (size < 0) {
                    throw new IllegalArgumentException("unknown constant-pool tag " + tag + " at offset " + p);
                }
                p += size;
                if (tag == 5 || tag == 6) {
                    i++; // long and double take two slots
                }
            }
        }
        return -1;
    }

    /** Size of a constant-pool entry other than Utf8, tag included; -1 for a tag this agent does not know. */
    public static int entrySize(int tag) {
        switch (tag) {
            case 7: case 8: case 16: case 19: case 20:
                return 3;
            case 15:
                return 4;
            case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                return 5;
            case 5: case 6:
                return 9;
            default:
                return -1;
        }
    }

    public static int u2(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    public static boolean bytesAt(byte[] b, int p, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[p + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
