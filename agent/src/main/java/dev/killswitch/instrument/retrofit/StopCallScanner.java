package dev.killswitch.instrument.retrofit;

import dev.killswitch.instrument.flow.ConstantPool;

import static dev.killswitch.instrument.flow.ConstantPool.entrySize;
import static dev.killswitch.instrument.flow.ConstantPool.bytesAt;
import static dev.killswitch.instrument.flow.ConstantPool.u2;

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
            return ConstantPool.findUtf8(b, STOP) >= 0 && hasStopMethodRef(b, u2(b, 8));
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
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
        return b[offset] == 1 && u2(b, offset + 1) == expected.length && bytesAt(b, offset + 3, expected);
    }
}
