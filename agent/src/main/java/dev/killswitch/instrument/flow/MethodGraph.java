package dev.killswitch.instrument.flow;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The control-flow graph of one buffered method, over its real instructions (no labels, frames or line
 * numbers), numbered in code order: normal successors (fall through, jumps, switch cases) and
 * exceptional ones (each instruction in a try range to its handler). Built once, before any code moves.
 */
public final class MethodGraph {
    public final MethodNode method;
    /** Every node of the method, in order. */
    public final AbstractInsnNode[] nodes;
    /** Real instructions, in order. */
    public final AbstractInsnNode[] real;
    /** For each node: the first real instruction at or after it, or -1. */
    private final int[] realAtOrAfter;
    /** Normal and exceptional successors of each real instruction (possibly repeated). */
    public final int[][] successors;
    /** Normal successors only. */
    final int[][] normalSuccessors;

    public MethodGraph(MethodNode method) {
        this.method = method;
        this.nodes = method.instructions.toArray(); // also numbers the nodes, for indexOf
        this.realAtOrAfter = new int[nodes.length + 1];
        List<AbstractInsnNode> reals = new ArrayList<>();
        int[] realIndexOfNode = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i].getOpcode() >= 0) {
                realIndexOfNode[i] = reals.size();
                reals.add(nodes[i]);
            } else {
                realIndexOfNode[i] = -1;
            }
        }
        real = reals.toArray(new AbstractInsnNode[0]);
        realAtOrAfter[nodes.length] = -1;
        for (int i = nodes.length - 1; i >= 0; i--) {
            realAtOrAfter[i] = realIndexOfNode[i] >= 0 ? realIndexOfNode[i] : realAtOrAfter[i + 1];
        }
        normalSuccessors = normalSuccessors();
        successors = withHandlers(normalSuccessors);
    }

    /** The real instruction a label stands for (the first at or after it), or -1. */
    public int realOf(LabelNode label) {
        return realAtOrAfter[indexOf(label)];
    }

    /** The first real instruction at or after node number {@code node}, or -1. */
    public int realAtOrAfter(int node) {
        return realAtOrAfter[node];
    }

    /** The node's position; valid until the first insertion (toArray numbered the nodes). */
    public int indexOf(AbstractInsnNode node) {
        return method.instructions.indexOf(node);
    }

    /** The real instructions a try block protects: {@code [start, end)} in real numbering. */
    public int[] range(TryCatchBlockNode block) {
        int start = realAtOrAfter[indexOf(block.start)];
        int end = realAtOrAfter[indexOf(block.end)];
        return new int[] {start, end < 0 ? real.length : end};
    }

    /** The normal successors of real instruction {@code r}: fall through, jumps, switch cases (no handlers). */
    public int[] normalSuccessorsOf(int r) {
        return normalSuccessors[r];
    }

    /** For messages: method, and the source line or instruction number of {@code insn}. */
    public String describe(AbstractInsnNode insn) {
        int line = -1;
        for (AbstractInsnNode n = insn; n != null; n = n.getPrevious()) {
            if (n instanceof LineNumberNode) {
                line = ((LineNumberNode) n).line;
                break;
            }
        }
        return method.name + method.desc + (line >= 0 ? " line " + line : " instruction " + indexOf(insn));
    }

    private int[][] normalSuccessors() {
        int[][] succ = new int[real.length][];
        int[] buffer = new int[16];
        for (int r = 0; r < real.length; r++) {
            AbstractInsnNode insn = real[r];
            int opcode = insn.getOpcode();
            int n = 0;
            if (insn instanceof JumpInsnNode) {
                buffer[n++] = realOf(((JumpInsnNode) insn).label);
                if (opcode != Opcodes.GOTO) {
                    buffer[n++] = r + 1; // fall through, or for jsr, where the subroutine returns to
                }
            } else if (insn instanceof TableSwitchInsnNode || insn instanceof LookupSwitchInsnNode) {
                LabelNode[] targets = ConditionalJumps.switchTargets(insn); // the default first, then each case
                if (buffer.length < targets.length) {
                    buffer = new int[targets.length];
                }
                for (LabelNode l : targets) {
                    buffer[n++] = realOf(l);
                }
            } else if (!(opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) && opcode != Opcodes.ATHROW
                    && opcode != Opcodes.RET) {
                buffer[n++] = r + 1;
            }
            int kept = 0;
            for (int k = 0; k < n; k++) {
                if (buffer[k] >= 0 && buffer[k] < real.length) {
                    buffer[kept++] = buffer[k];
                }
            }
            succ[r] = Arrays.copyOf(buffer, kept);
        }
        return succ;
    }

    private int[][] withHandlers(int[][] normal) {
        int[][] succ = normal.clone();
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            int handler = realOf(block.handler);
            int[] range = range(block);
            if (handler < 0 || range[0] < 0) {
                continue;
            }
            for (int r = range[0]; r < range[1]; r++) {
                int[] s0 = succ[r];
                int[] s1 = Arrays.copyOf(s0, s0.length + 1);
                s1[s0.length] = handler;
                succ[r] = s1;
            }
        }
        return succ;
    }
}
