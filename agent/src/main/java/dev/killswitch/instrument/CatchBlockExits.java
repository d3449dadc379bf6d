package dev.killswitch.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Makes catch blocks give a kill back: wherever a catch block ends without throwing, a check re-raises
 * the kill it caught (PRODUCT.md rule 5).
 *
 * <p>The extent of a catch block is found from the code, not from a compiler's habits: it is every
 * instruction its handler dominates in the method's control-flow graph (normal and exceptional edges).
 * Its exits are the normal edges from inside that extent to outside it (fall through, jumps, switch
 * cases) and its returns. Before each exit goes {@code aload caught; invokestatic KillPoint.catchExit},
 * which throws only if what the block caught carries the thread's kill; a conditional exit passes the
 * jump's operands so the check fires only on the leaving path. A {@code throw} inside the extent is left
 * to propagate, and only noted: the runtime then treats a new exception thrown while handling a kill as
 * carrying it. Exceptional exits are not touched, so {@code finally} blocks (handlers that end by
 * throwing what they caught) run as they were.
 *
 * <p>Nothing is computed for the verifier: the checks take their operands from the stack and the
 * caught exception from the local the handler stored it in, so they need no new frames. Where a frame
 * inside the catch block no longer declares that local (its scope ended before the block's last jump),
 * the frame is written out in full declaring it again, which is sound because every path into it comes
 * from the handler. A handler that does not store what it caught, or a catch block that stores
 * something else over it, is left as it was and reported.
 */
final class CatchBlockExits {
    /** Operand-stack slots the checks may need above what the method needs. */
    static final int EXTRA_STACK = 4;

    private static final String RUNTIME = PollStyle.RUNTIME;
    private static final String THROWABLE = "Ljava/lang/Throwable;";
    /** Added to a jump's opcode when the catch block is left on the path where the jump is not taken (as the runtime's JumpConditions). */
    static final int WHEN_NOT_TAKEN = 0x100;

    private final MethodNode method;
    private final String owner;
    private final AbstractInsnNode[] nodes;
    /** Real instructions (no labels, frames, line numbers), in order. */
    private final AbstractInsnNode[] real;
    private final int[] realIndexOfNode;
    /** For each node: the first real instruction at or after it, or -1. */
    private final int[] realAtOrAfter;
    private int[][] successors;
    private final List<String> leftAlone = new ArrayList<>();
    private int checks;

    private CatchBlockExits(MethodNode method, String owner) {
        this.method = method;
        this.owner = owner;
        this.nodes = method.instructions.toArray(); // also numbers the nodes, for indexOf
        this.realIndexOfNode = new int[nodes.length];
        this.realAtOrAfter = new int[nodes.length + 1];
        List<AbstractInsnNode> reals = new ArrayList<>();
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
    }

    /** What was done to one method. */
    static final class Outcome {
        final int checks;
        final List<String> leftAlone;

        Outcome(int checks, List<String> leftAlone) {
            this.checks = checks;
            this.leftAlone = leftAlone;
        }
    }

    /** Adds the checks to {@code method} in place. */
    static Outcome insert(MethodNode method, String owner) {
        if (method.tryCatchBlocks == null || method.tryCatchBlocks.isEmpty()) {
            return new Outcome(0, List.of());
        }
        CatchBlockExits exits = new CatchBlockExits(method, owner);
        exits.run();
        if (exits.checks > 0) {
            method.maxStack += EXTRA_STACK;
        }
        return new Outcome(exits.checks, exits.leftAlone);
    }

    private void run() {
        if (real.length == 0) {
            return;
        }
        successors = successors();
        int[] idom = CatchBlockDominators.of(successors);
        int[][] children = CatchBlockDominators.children(idom);
        CatchBlockFrames frames = CatchBlockFrames.of(method, owner, nodes);
        List<Integer> handlers = new ArrayList<>();
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            int h = realOf(block.handler);
            if (h >= 0 && idom[h] >= 0 && !handlers.contains(h)) {
                handlers.add(h);
            }
        }
        // Inner catch blocks first, so that an exit leaving several of them checks the innermost first.
        List<Plan> plans = new ArrayList<>();
        for (int h : handlers) {
            Plan plan = plan(h, CatchBlockDominators.subtree(children, h), frames);
            if (plan != null) {
                plans.add(plan);
            }
        }
        plans.sort((a, b) -> Integer.compare(a.size, b.size));
        frames.rewrite(nodes);
        for (Plan plan : plans) {
            plan.apply();
        }
    }

    /** The checks of one catch block, decided before any code moves. */
    private final class Plan {
        final int local;
        final int size;
        final List<Runnable> edits = new ArrayList<>();

        Plan(int local, int size) {
            this.local = local;
            this.size = size;
        }

        void apply() {
            for (Runnable edit : edits) {
                edit.run();
            }
        }
    }

    private Plan plan(int h, BitSet extent, CatchBlockFrames frames) {
        AbstractInsnNode first = real[h];
        String where = "handler at " + describe(first);
        if (first.getOpcode() != Opcodes.ASTORE) {
            leftAlone.add(where + ": it does not store what it caught in a local variable");
            return null;
        }
        int local = ((VarInsnNode) first).var;
        for (int i = extent.nextSetBit(0); i >= 0; i = extent.nextSetBit(i + 1)) {
            if (i != h && overwrites(real[i], local)) {
                leftAlone.add(where + ": the catch block stores another value in the caught exception's variable");
                return null;
            }
        }
        int firstNode = indexOf(first);
        Plan plan = new Plan(local, extent.cardinality());
        int unusable = 0;
        for (int i = extent.nextSetBit(0); i >= 0; i = extent.nextSetBit(i + 1)) {
            AbstractInsnNode insn = real[i];
            int opcode = insn.getOpcode();
            Runnable edit = null;
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                edit = () -> before(insn, exit(local));
            } else if (opcode == Opcodes.ATHROW) {
                edit = () -> before(insn, noteThrow(local));
            } else if (insn instanceof JumpInsnNode) {
                edit = jumpExit((JumpInsnNode) insn, i, extent, local);
            } else if (insn instanceof TableSwitchInsnNode || insn instanceof LookupSwitchInsnNode) {
                edit = switchExit(insn, extent, local);
            } else if (opcode != Opcodes.RET && i + 1 < real.length && !extent.get(i + 1)) {
                edit = () -> after(insn, exit(local));
            }
            if (edit == null) {
                continue;
            }
            if (!frames.keepReference(indexOf(insn), firstNode, local, h, extent, realAtOrAfter)) {
                unusable++;
                continue;
            }
            plan.edits.add(edit);
        }
        if (unusable > 0) {
            leftAlone.add(where + ": " + unusable + " exit(s) in code laid out before the catch block's frames");
        }
        checks += plan.edits.size();
        return plan;
    }

    private Runnable jumpExit(JumpInsnNode jump, int i, BitSet extent, int local) {
        int opcode = jump.getOpcode();
        if (opcode == Opcodes.JSR) {
            return null; // a subroutine returns here; its own code is judged by where it is
        }
        boolean leavesWhenTaken = !extent.get(realOf(jump.label));
        if (opcode == Opcodes.GOTO) {
            return leavesWhenTaken ? () -> before(jump, exit(local)) : null;
        }
        boolean leavesOtherwise = i + 1 < real.length && !extent.get(i + 1);
        if (leavesWhenTaken && leavesOtherwise) {
            return () -> before(jump, exit(local));
        }
        if (!leavesWhenTaken && !leavesOtherwise) {
            return null;
        }
        int code = opcode | (leavesWhenTaken ? 0 : WHEN_NOT_TAKEN);
        return () -> before(jump, conditionalExit(opcode, code, local));
    }

    private Runnable switchExit(AbstractInsnNode insn, BitSet extent, int local) {
        LabelNode dflt;
        List<LabelNode> labels;
        int[] keys;
        if (insn instanceof TableSwitchInsnNode) {
            TableSwitchInsnNode s = (TableSwitchInsnNode) insn;
            dflt = s.dflt;
            labels = s.labels;
            keys = new int[labels.size()];
            for (int k = 0; k < keys.length; k++) {
                keys[k] = s.min + k;
            }
        } else {
            LookupSwitchInsnNode s = (LookupSwitchInsnNode) insn;
            dflt = s.dflt;
            labels = s.labels;
            keys = s.keys.stream().mapToInt(Integer::intValue).toArray();
        }
        boolean defaultLeaves = !extent.get(realOf(dflt));
        StringBuilder listed = new StringBuilder(defaultLeaves ? "X" : "S");
        boolean any = defaultLeaves;
        boolean all = defaultLeaves;
        for (int k = 0; k < keys.length; k++) {
            boolean leaves = !extent.get(realOf(labels.get(k)));
            any |= leaves;
            all &= leaves;
            if (leaves != defaultLeaves) {
                listed.append(listed.length() > 1 ? "," : "").append(keys[k]);
            }
        }
        if (!any) {
            return null;
        }
        if (all) {
            return () -> before(insn, exit(local));
        }
        String spec = listed.toString();
        return () -> {
            InsnList check = new InsnList();
            check.add(new InsnNode(Opcodes.DUP));
            check.add(new LdcInsnNode(spec));
            check.add(new VarInsnNode(Opcodes.ALOAD, local));
            check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "catchExitIfSwitch", "(ILjava/lang/String;" + THROWABLE + ")V", false));
            before(insn, check);
        };
    }

    private static InsnList exit(int local) {
        InsnList check = new InsnList();
        check.add(new VarInsnNode(Opcodes.ALOAD, local));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "catchExit", "(" + THROWABLE + ")V", false));
        return check;
    }

    private static InsnList noteThrow(int local) {
        InsnList check = new InsnList();
        check.add(new InsnNode(Opcodes.DUP));
        check.add(new VarInsnNode(Opcodes.ALOAD, local));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "catchThrow", "(" + THROWABLE + THROWABLE + ")V", false));
        return check;
    }

    private static InsnList conditionalExit(int opcode, int code, int local) {
        InsnList check = new InsnList();
        String operands;
        if (opcode >= Opcodes.IFEQ && opcode <= Opcodes.IFLE) {
            check.add(new InsnNode(Opcodes.DUP));
            operands = "I";
        } else if (opcode >= Opcodes.IF_ICMPEQ && opcode <= Opcodes.IF_ICMPLE) {
            check.add(new InsnNode(Opcodes.DUP2));
            operands = "II";
        } else if (opcode == Opcodes.IF_ACMPEQ || opcode == Opcodes.IF_ACMPNE) {
            check.add(new InsnNode(Opcodes.DUP2));
            operands = "Ljava/lang/Object;Ljava/lang/Object;";
        } else { // IFNULL, IFNONNULL
            check.add(new InsnNode(Opcodes.DUP));
            operands = "Ljava/lang/Object;";
        }
        check.add(new IntInsnNode(Opcodes.SIPUSH, code));
        check.add(new VarInsnNode(Opcodes.ALOAD, local));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "catchExitIf", "(" + operands + "I" + THROWABLE + ")V", false));
        return check;
    }

    private void before(AbstractInsnNode insn, InsnList check) {
        method.instructions.insertBefore(insn, check);
    }

    /**
     * Right after {@code insn}, before the labels that follow it. A try block that ends at one of those
     * labels ended with {@code insn}: it is made to end before the check, so that the check, which is
     * after the catch block, is not inside it.
     */
    private void after(AbstractInsnNode insn, InsnList check) {
        LabelNode boundary = null;
        for (AbstractInsnNode n = insn.getNext(); n != null && n.getOpcode() < 0; n = n.getNext()) {
            if (n instanceof LabelNode) {
                for (TryCatchBlockNode block : method.tryCatchBlocks) {
                    if (block.end == n) {
                        if (boundary == null) {
                            boundary = new LabelNode();
                        }
                        block.end = boundary;
                    }
                }
            }
        }
        if (boundary != null) {
            check.insert(boundary);
        }
        method.instructions.insert(insn, check);
    }

    private static boolean overwrites(AbstractInsnNode insn, int local) {
        int opcode = insn.getOpcode();
        if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
            int var = ((VarInsnNode) insn).var;
            return var == local || ((opcode == Opcodes.LSTORE || opcode == Opcodes.DSTORE) && var + 1 == local);
        }
        return false;
    }

    private int realOf(LabelNode label) {
        return realAtOrAfter[indexOf(label)];
    }

    /** The node's position; valid until the first insertion (toArray numbered the nodes). */
    private int indexOf(AbstractInsnNode node) {
        return method.instructions.indexOf(node);
    }

    private String describe(AbstractInsnNode insn) {
        int line = -1;
        for (AbstractInsnNode n = insn; n != null; n = n.getPrevious()) {
            if (n instanceof org.objectweb.asm.tree.LineNumberNode) {
                line = ((org.objectweb.asm.tree.LineNumberNode) n).line;
                break;
            }
        }
        return method.name + method.desc + (line >= 0 ? " line " + line : " instruction " + indexOf(insn));
    }

    /** Normal and exceptional successors of each real instruction (possibly repeated). */
    private int[][] successors() {
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
                LabelNode dflt = insn instanceof TableSwitchInsnNode ? ((TableSwitchInsnNode) insn).dflt : ((LookupSwitchInsnNode) insn).dflt;
                List<LabelNode> labels = insn instanceof TableSwitchInsnNode ? ((TableSwitchInsnNode) insn).labels
                        : ((LookupSwitchInsnNode) insn).labels;
                if (buffer.length < labels.size() + 1) {
                    buffer = new int[labels.size() + 1];
                }
                buffer[n++] = realOf(dflt);
                for (LabelNode l : labels) {
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
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            int handler = realOf(block.handler);
            int start = realAtOrAfter[indexOf(block.start)];
            int end = realAtOrAfter[indexOf(block.end)];
            if (handler < 0 || start < 0) {
                continue;
            }
            for (int r = start; r < (end < 0 ? real.length : end); r++) {
                int[] s0 = succ[r];
                int[] s1 = Arrays.copyOf(s0, s0.length + 1);
                s1[s0.length] = handler;
                succ[r] = s1;
            }
        }
        return succ;
    }

}
