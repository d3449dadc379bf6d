package dev.killswitch.instrument.flow;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;

import java.util.List;

/**
 * What a check needs to act on one path of a branch only: the operands a conditional jump takes, copied
 * from the stack and passed on with the jump's opcode, and for a switch, which of its cases count. The
 * runtime decides with the same values the jump does (see the runtime's {@code JumpConditions}).
 */
public final class ConditionalJumps {
    private static final String OBJECT = "Ljava/lang/Object;";

    private ConditionalJumps() {
    }

    static boolean isConditional(int opcode) {
        return opcode >= Opcodes.IFEQ && opcode <= Opcodes.IF_ACMPNE || opcode == Opcodes.IFNULL || opcode == Opcodes.IFNONNULL;
    }

    /** The descriptor of the jump's operands: {@code I}, {@code II}, one object or two. */
    public static String operands(int opcode) {
        if (opcode >= Opcodes.IFEQ && opcode <= Opcodes.IFLE) {
            return "I";
        }
        if (opcode >= Opcodes.IF_ICMPEQ && opcode <= Opcodes.IF_ICMPLE) {
            return "II";
        }
        if (opcode == Opcodes.IF_ACMPEQ || opcode == Opcodes.IF_ACMPNE) {
            return OBJECT + OBJECT;
        }
        return OBJECT; // IFNULL, IFNONNULL
    }

    /** DUP or DUP2: copies the jump's operands. */
    public static int copyOperands(int opcode) {
        return opcode >= Opcodes.IF_ICMPEQ && opcode <= Opcodes.IF_ACMPNE ? Opcodes.DUP2 : Opcodes.DUP;
    }

    /**
     * Which cases of a switch go where {@code counts} says (the default first, then each case of
     * {@code keys}), as a compact spec the runtime reads: {@code X} then the keys that do not count (every
     * other key counts), or {@code S} then the keys that do (every other key does not), separated by
     * commas; null if no case counts, {@code ""} if every case does.
     */
    public static String switchSpec(int[] keys, boolean[] counts) {
        boolean defaultCounts = counts[0];
        StringBuilder listed = new StringBuilder(defaultCounts ? "X" : "S");
        boolean any = defaultCounts;
        boolean all = defaultCounts;
        for (int k = 0; k < keys.length; k++) {
            boolean c = counts[k + 1];
            any |= c;
            all &= c;
            if (c != defaultCounts) {
                listed.append(listed.length() > 1 ? "," : "").append(keys[k]);
            }
        }
        return !any ? null : all ? "" : listed.toString();
    }

    /** The keys of a switch's cases, in the order of its labels. */
    public static int[] switchKeys(AbstractInsnNode insn) {
        if (insn instanceof TableSwitchInsnNode) {
            TableSwitchInsnNode s = (TableSwitchInsnNode) insn;
            return tableKeys(s.min, s.labels.size());
        }
        List<Integer> keys = ((LookupSwitchInsnNode) insn).keys;
        int[] out = new int[keys.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = keys.get(k);
        }
        return out;
    }

    public static int[] tableKeys(int min, int count) {
        int[] keys = new int[count];
        for (int k = 0; k < count; k++) {
            keys[k] = min + k;
        }
        return keys;
    }

    /** The targets of a switch: the default first, then each case. */
    public static LabelNode[] switchTargets(AbstractInsnNode insn) {
        LabelNode dflt = insn instanceof TableSwitchInsnNode ? ((TableSwitchInsnNode) insn).dflt : ((LookupSwitchInsnNode) insn).dflt;
        List<LabelNode> labels = insn instanceof TableSwitchInsnNode ? ((TableSwitchInsnNode) insn).labels
                : ((LookupSwitchInsnNode) insn).labels;
        LabelNode[] out = new LabelNode[labels.size() + 1];
        out[0] = dflt;
        for (int i = 0; i < labels.size(); i++) {
            out[i + 1] = labels.get(i);
        }
        return out;
    }
}
