package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.flow.ConditionalJumps;
import dev.killswitch.instrument.flow.MethodGraph;
import dev.killswitch.runtime.cleanup.BlockEnds;
import dev.killswitch.runtime.killpoints.JumpConditions;
import dev.killswitch.runtime.killpoints.KillPoint;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
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
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks where catch and finally blocks end. A kill is never thrown inside such a block (it would
 * cut the block's work short); it is thrown where the block has done its work:
 * <ul>
 *   <li>where a block ends without throwing (falls through, jumps out, returns), a check raises again the
 *       kill the block caught, if it caught one (a swallowing {@code catch (Throwable t) {}} cannot keep a
 *       killed thread alive), or delivers the thread's pending kill;
 *   <li>where a block throws (a {@code finally} rethrowing, a catch block wrapping), a check delivers
 *       the thread's pending kill instead, keeping what was thrown as a suppressed exception, and
 *       otherwise notes that what it throws carries the kill it was handling.
 * </ul>
 * A conditional exit passes the jump's operands, so the check acts only on the leaving path. The blocks
 * come from {@link HandlerExtents}. Exits of a block nested in another block of the same method only
 * raise a caught kill again: a pending kill waits for the outer block. Nothing is inserted in handlers
 * that protect their own code.
 *
 * <p>Nothing is computed for the verifier: the checks take their operands from the stack and the
 * caught exception from the local the handler stored it in, so they need no new frames. Where a frame
 * inside the block no longer declares that local (its scope ended before the block's last jump), the
 * frame is written out in full declaring it again (see {@link CatchBlockFrames}). Where the caught
 * exception cannot be loaded, the check is given null: it still delivers a pending kill, and the block
 * is reported as one that would swallow a kill it caught.
 */
public final class CatchBlockExits {
    /** Operand-stack slots the checks may need above what the method needs. */
    public static final int EXTRA_STACK = 4;
    private static final int WHEN_NOT_TAKEN = JumpConditions.WHEN_NOT_TAKEN;
    private static final int NESTED = BlockEnds.NESTED;

    private static final String RUNTIME = Type.getInternalName(KillPoint.class);
    private static final String THROWABLE = "Ljava/lang/Throwable;";

    private final MethodGraph graph;
    private final HandlerExtents blocks;
    private final MethodNode method;
    /** The copies of finally blocks on normal paths: blocks inside them are nested too. */
    private final BitSet copies;
    /** For each instruction, the last check put right after it: the next goes after that one (innermost first). */
    private final Map<AbstractInsnNode, AbstractInsnNode> lastAfter = new HashMap<>();
    private final List<String> leftAlone = new ArrayList<>();
    private int checks;

    private CatchBlockExits(MethodGraph graph, HandlerExtents blocks, BitSet copies) {
        this.graph = graph;
        this.blocks = blocks;
        this.method = graph.method;
        this.copies = copies;
    }

    /** What was done to one method. */
    public static final class Outcome {
        public final int checks;
        public final List<String> leftAlone;
        /** Where its catch blocks, finally blocks and finally copies are, to be read once the method is written. */
        public final CleanupRegionMarks regions;
        /** What the code as it was tells a kill below a frame still running it (see {@link ReplacedCode}); null if not asked. */
        public final int[][] replaced;

        Outcome(int checks, List<String> leftAlone, CleanupRegionMarks regions, int[][] replaced) {
            this.checks = checks;
            this.leftAlone = leftAlone;
            this.regions = regions;
            this.replaced = replaced;
        }
    }

    /**
     * Adds the checks to {@code method} in place, and marks its cleanup code.
     *
     * @param replacedOffsets the offsets of the method's instructions in the class file, to read what frames still
     *        running that code need (at a retransformation); null when no frame runs it
     */
    public static Outcome insert(MethodNode method, String owner, int[] replacedOffsets) {
        if (method.tryCatchBlocks == null || method.tryCatchBlocks.isEmpty() || method.instructions.size() == 0) {
            return new Outcome(0, List.of(), null, null);
        }
        MethodGraph graph = new MethodGraph(method);
        HandlerExtents blocks = HandlerExtents.of(graph);
        BitSet copies = FinallyCopies.of(blocks);
        BitSet cleanup = blocks.allBlocks();
        cleanup.or(copies);
        int[][] replaced = replacedOffsets == null ? null : ReplacedCode.regions(graph, cleanup, replacedOffsets); // before any change
        CatchBlockExits exits = new CatchBlockExits(graph, blocks, copies);
        CatchBlockFrames frames = CatchBlockFrames.of(method, owner, graph.nodes);
        List<List<Edit>> plans = new ArrayList<>();
        for (HandlerExtents.Extent e : blocks.extents) { // inner blocks first: an exit leaving several checks the innermost first
            plans.add(exits.plan(e, frames));
        }
        CleanupRegionMarks regions = CleanupRegionMarks.mark(graph, cleanup);
        frames.rewrite(graph.nodes);
        for (List<Edit> plan : plans) {
            for (Edit edit : plan) {
                exits.apply(edit);
            }
        }
        if (exits.checks > 0) {
            method.maxStack += EXTRA_STACK;
        }
        return new Outcome(exits.checks, exits.leftAlone, regions, replaced);
    }

    private List<Edit> plan(HandlerExtents.Extent e, CatchBlockFrames frames) {
        List<Edit> edits = new ArrayList<>();
        if (blocks.selfProtected.get(e.handler)) {
            return edits; // javac's monitor exit: it rethrows, and anything thrown in it would run it again
        }
        String where = "handler at " + graph.describe(graph.real[e.handler]);
        if (e.local < 0) {
            leftAlone.add(where + ": " + e.noLocal);
        }
        int firstNode = graph.indexOf(graph.real[e.handler]);
        int unloadable = 0;
        BitSet body = e.body;
        for (int i = body.nextSetBit(0); i >= 0; i = body.nextSetBit(i + 1)) {
            AbstractInsnNode insn = graph.real[i];
            if (blocks.selfProtected.get(i)) {
                continue;
            }
            int flags = blocks.insideAnotherBlock(i, e) || copies.get(i) ? NESTED : 0;
            int local = e.local;
            if (local >= 0 && isExit(insn, i, body)
                    && !frames.keepReference(graph.indexOf(insn), firstNode, local, e.handler, body, graph)) {
                unloadable++;
                local = -1;
            }
            if (local < 0 && flags == NESTED) {
                continue; // nothing to raise, and a pending kill waits for the outer block
            }
            Edit edit = edit(insn, i, body, local, flags);
            if (edit != null) {
                edits.add(edit);
            }
        }
        if (unloadable > 0) {
            leftAlone.add(where + ": " + unloadable + " exit(s) in code laid out before the catch block's frames");
        }
        checks += edits.size();
        return edits;
    }

    private boolean isExit(AbstractInsnNode insn, int i, BitSet body) {
        return edit(insn, i, body, -1, 0) != null;
    }

    private Edit edit(AbstractInsnNode insn, int i, BitSet body, int local, int flags) {
        int opcode = insn.getOpcode();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            return Edit.before(insn, exit(local, flags));
        }
        if (opcode == Opcodes.ATHROW) {
            return Edit.before(insn, noteThrow(local, flags));
        }
        if (insn instanceof JumpInsnNode) {
            return jumpExit((JumpInsnNode) insn, i, body, local, flags);
        }
        if (insn instanceof TableSwitchInsnNode || insn instanceof LookupSwitchInsnNode) {
            return switchExit(insn, body, local, flags);
        }
        if (opcode != Opcodes.RET && i + 1 < graph.real.length && !body.get(i + 1)) {
            return Edit.after(insn, exit(local, flags));
        }
        return null;
    }

    private Edit jumpExit(JumpInsnNode jump, int i, BitSet body, int local, int flags) {
        int opcode = jump.getOpcode();
        if (opcode == Opcodes.JSR) {
            return null; // a subroutine returns here; its own code is judged by where it is
        }
        boolean leavesWhenTaken = !body.get(graph.realOf(jump.label));
        if (opcode == Opcodes.GOTO) {
            return leavesWhenTaken ? Edit.before(jump, exit(local, flags)) : null;
        }
        boolean leavesOtherwise = i + 1 < graph.real.length && !body.get(i + 1);
        if (leavesWhenTaken && leavesOtherwise) {
            return Edit.before(jump, exit(local, flags));
        }
        if (!leavesWhenTaken && !leavesOtherwise) {
            return null;
        }
        int code = opcode | (leavesWhenTaken ? 0 : WHEN_NOT_TAKEN) | flags;
        return Edit.before(jump, conditionalExit(opcode, code, local));
    }

    private Edit switchExit(AbstractInsnNode insn, BitSet body, int local, int flags) {
        LabelNode[] targets = ConditionalJumps.switchTargets(insn);
        boolean[] leaves = new boolean[targets.length];
        for (int k = 0; k < targets.length; k++) {
            leaves[k] = !body.get(graph.realOf(targets[k]));
        }
        String spec = ConditionalJumps.switchSpec(ConditionalJumps.switchKeys(insn), leaves);
        if (spec == null) {
            return null;
        }
        if (spec.isEmpty()) {
            return Edit.before(insn, exit(local, flags));
        }
        InsnList check = new InsnList();
        check.add(new InsnNode(Opcodes.DUP));
        check.add(new LdcInsnNode(spec));
        check.add(new IntInsnNode(Opcodes.SIPUSH, flags));
        check.add(caught(local));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "catchExitIfSwitch",
                "(ILjava/lang/String;I" + THROWABLE + ")V", false));
        return Edit.before(insn, check);
    }

    private static AbstractInsnNode caught(int local) {
        return local >= 0 ? new VarInsnNode(Opcodes.ALOAD, local) : new InsnNode(Opcodes.ACONST_NULL);
    }

    private static InsnList exit(int local, int flags) {
        InsnList check = new InsnList();
        check.add(caught(local));
        check.add(new IntInsnNode(Opcodes.SIPUSH, flags));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "catchExit", "(" + THROWABLE + "I)V", false));
        return check;
    }

    private static InsnList noteThrow(int local, int flags) {
        InsnList check = new InsnList();
        check.add(new InsnNode(Opcodes.DUP));
        check.add(caught(local));
        check.add(new IntInsnNode(Opcodes.SIPUSH, flags));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "catchThrow", "(" + THROWABLE + THROWABLE + "I)V", false));
        return check;
    }

    private static InsnList conditionalExit(int opcode, int code, int local) {
        InsnList check = new InsnList();
        check.add(new InsnNode(ConditionalJumps.copyOperands(opcode)));
        check.add(new IntInsnNode(Opcodes.SIPUSH, code));
        check.add(caught(local));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "catchExitIf",
                "(" + ConditionalJumps.operands(opcode) + "I" + THROWABLE + ")V", false));
        return check;
    }

    private void apply(Edit edit) {
        if (edit.after) {
            after(edit.at, edit.check);
        } else {
            method.instructions.insertBefore(edit.at, edit.check);
        }
    }

    /**
     * Right after {@code insn}, before the labels that follow it: still inside every try block that covers
     * {@code insn}, so that a kill raised there meets the same handlers as one raised by the block's last
     * instruction (the finally of a try-catch-finally, whose range javac ends exactly there).
     */
    private void after(AbstractInsnNode insn, InsnList check) {
        AbstractInsnNode last = check.getLast();
        method.instructions.insert(lastAfter.getOrDefault(insn, insn), check);
        lastAfter.put(insn, last);
    }

    /**
     * A check to insert, planned before any is inserted (inserting moves no instruction the plan names).
     * A class, not a lambda: this runs in the first class the agent transforms, at start-up, and the
     * first lambda costs the JVM its lambda bootstrap.
     */
    private static final class Edit {
        final AbstractInsnNode at;
        final boolean after;
        final InsnList check;

        private Edit(AbstractInsnNode at, boolean after, InsnList check) {
            this.at = at;
            this.after = after;
            this.check = check;
        }

        static Edit before(AbstractInsnNode at, InsnList check) {
            return new Edit(at, false, check);
        }

        static Edit after(AbstractInsnNode at, InsnList check) {
            return new Edit(at, true, check);
        }
    }
}
