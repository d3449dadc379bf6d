package dev.killswitch.runtime.killpoints;

/**
 * Evaluates, for the checks at conditional exits of catch blocks, whether the jump that follows leaves
 * the block. Only runs while a killed thread may still be unwinding.
 */
public final class JumpConditions {
    /** Added to the opcode when the block is left on the path where the jump is not taken. */
    public static final int WHEN_NOT_TAKEN = 0x100;

    // Opcodes of the JVM specification, as the transformer passes them.
    private static final int IFEQ = 153;
    private static final int IFNE = 154;
    private static final int IFLT = 155;
    private static final int IFGE = 156;
    private static final int IFGT = 157;
    private static final int IFLE = 158;
    private static final int IF_ICMPEQ = 159;
    private static final int IF_ICMPNE = 160;
    private static final int IF_ICMPLT = 161;
    private static final int IF_ICMPGE = 162;
    private static final int IF_ICMPGT = 163;
    private static final int IF_ICMPLE = 164;
    private static final int IF_ACMPEQ = 165;
    private static final int IF_ACMPNE = 166;
    private static final int IFNULL = 198;
    private static final int IFNONNULL = 199;

    private JumpConditions() {
    }

    static boolean leaves(int code, int left, int right) {
        boolean taken;
        switch (code & 0xFF) {
            case IFEQ: taken = left == 0; break;
            case IFNE: taken = left != 0; break;
            case IFLT: taken = left < 0; break;
            case IFGE: taken = left >= 0; break;
            case IFGT: taken = left > 0; break;
            case IFLE: taken = left <= 0; break;
            case IF_ICMPEQ: taken = left == right; break;
            case IF_ICMPNE: taken = left != right; break;
            case IF_ICMPLT: taken = left < right; break;
            case IF_ICMPGE: taken = left >= right; break;
            case IF_ICMPGT: taken = left > right; break;
            case IF_ICMPLE: taken = left <= right; break;
            default: return false;
        }
        return taken != ((code & WHEN_NOT_TAKEN) != 0);
    }

    static boolean leaves(int code, Object left, Object right) {
        boolean taken;
        switch (code & 0xFF) {
            case IF_ACMPEQ: taken = left == right; break;
            case IF_ACMPNE: taken = left != right; break;
            case IFNULL: taken = left == null; break;
            case IFNONNULL: taken = left != null; break;
            default: return false;
        }
        return taken != ((code & WHEN_NOT_TAKEN) != 0);
    }

    /**
     * @param cases {@code X} then the keys that stay in the block (every other key leaves), or {@code S}
     *        then the keys that leave it (every other key stays); keys separated by commas
     */
    public static boolean switchLeaves(String cases, int key) {
        boolean listedLeave = cases.charAt(0) == 'S';
        String k = Integer.toString(key);
        int from = 1;
        while (from < cases.length()) {
            int comma = cases.indexOf(',', from);
            int end = comma < 0 ? cases.length() : comma;
            if (cases.regionMatches(from, k, 0, k.length()) && end - from == k.length()) {
                return listedLeave;
            }
            from = end + 1;
        }
        return !listedLeave;
    }
}
