package dev.killswitch.instrument.retrofit;

/**
 * Tells from the constant pool alone, without parsing the class, whether it may call {@code stop()} or
 * {@code stop(Throwable)} on anything: a method reference named {@code stop} with one of those two
 * descriptors. Almost every class has no {@code "stop"} string at all and is answered after one walk of
 * the pool, allocating nothing.
 */
final class StopCallScanner {
    private static final byte[] STOP = {'s', 't', 'o', 'p'};
    private static final byte[] NO_ARGS = {'(', ')', 'V'};
    private static final byte[] THROWABLE = "(Ljava/lang/Throwable;)V".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private StopCallScanner() {
    }

    /** False only if the class certainly calls no {@code stop()}; unreadable pools answer true, for ASM to judge. */
    static boolean mayCallStop(byte[] b) {
        try {
            int count = u2(b, 8);
            int p = 10;
            boolean stop = false;
            for (int i = 1; i < count; i++) {
                int tag = b[p];
                if (tag == 1) {
                    int length = u2(b, p + 1);
                    if (length == 4 && equals(b, p + 3, STOP)) {
                        stop = true;
                        break;
                    }
                    p += 3 + length;
                } else {
                    int size = entrySize(tag);
                    if (size < 0) {
                        return true;
                    }
                    p += size;
                    if (tag == 5 || tag == 6) {
                        i++; // long and double take two slots
                    }
                }
            }
            return stop && hasStopMethodRef(b, count);
        } catch (ArrayIndexOutOfBoundsException e) {
            return true;
        }
    }

    /** Second walk, only for classes with a "stop" string: a Methodref whose NameAndType is stop()V or stop(Throwable)V. */
    private static boolean hasStopMethodRef(byte[] b, int count) {
        int[] offsets = new int[count];
        int p = 10;
        for (int i = 1; i < count; i++) {
            offsets[i] = p;
            int tag = b[p];
            int size = tag == 1 ? 3 + u2(b, p + 1) : entrySize(tag);
            if (size < 0) {
                return true;
            }
            p += size;
            if (tag == 5 || tag == 6) {
                i++;
            }
        }
        for (int i = 1; i < count; i++) {
            int o = offsets[i];
            if (o != 0 && b[o] == 10) { // Methodref: class index, NameAndType index
                int nat = offsets[u2(b, o + 3)];
                if (isUtf8(b, offsets[u2(b, nat + 1)], STOP)) {
                    int descriptor = offsets[u2(b, nat + 3)];
                    if (isUtf8(b, descriptor, NO_ARGS) || isUtf8(b, descriptor, THROWABLE)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isUtf8(byte[] b, int offset, byte[] expected) {
        return b[offset] == 1 && u2(b, offset + 1) == expected.length && equals(b, offset + 3, expected);
    }

    /** Size of a constant-pool entry other than Utf8, tag included; -1 for a tag this agent does not know. */
    private static int entrySize(int tag) {
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

    private static int u2(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static boolean equals(byte[] b, int p, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[p + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
