package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.flow.Dominators;
import dev.killswitch.instrument.flow.MethodGraph;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Where each exception handler's code runs: its catch or finally block, found from the code rather than
 * from one compiler's habits. A handler's extent is every instruction it dominates in the control-flow
 * graph (only reachable through it), cut at the end of the caught variable's scope where the method's
 * local-variable table gives one (code after a catch block that only the catch block reaches is not part
 * of it). Also finds the handlers that protect their own code (javac's exit of a {@code synchronized}
 * block): nothing may be inserted there, since anything it threw would run the same code again.
 */
final class HandlerExtents {
    /** One handler's block. */
    static final class Extent {
        /** The handler's first instruction. */
        final int handler;
        /** The block, handler included, in real-instruction numbering. */
        final BitSet body;
        /** The local the handler stores what it caught in, never overwritten in the block; -1 if none. */
        final int local;
        /** Why the caught exception cannot be reloaded, if it cannot (for reports). */
        final String noLocal;
        final boolean catchesAll;

        Extent(int handler, BitSet body, int local, String noLocal, boolean catchesAll) {
            this.handler = handler;
            this.body = body;
            this.local = local;
            this.noLocal = noLocal;
            this.catchesAll = catchesAll;
        }
    }

    final MethodGraph graph;
    /** Handler blocks, smallest (innermost) first. */
    final List<Extent> extents = new ArrayList<>();
    /** Instructions of handlers that protect their own code: nothing is inserted there. */
    final BitSet selfProtected = new BitSet();

    private HandlerExtents(MethodGraph graph) {
        this.graph = graph;
    }

    static HandlerExtents of(MethodGraph graph) {
        HandlerExtents h = new HandlerExtents(graph);
        if (graph.real.length > 0) {
            h.find();
        }
        return h;
    }

    /** True if real instruction {@code i} is inside the block of a handler other than {@code except}'s. */
    boolean insideAnotherBlock(int i, Extent except) {
        for (Extent e : extents) {
            if (e != except && e.body.get(i)) {
                return true;
            }
        }
        return false;
    }

    /** Every instruction that belongs to some handler's block. */
    BitSet allBlocks() {
        BitSet all = new BitSet();
        for (Extent e : extents) {
            all.or(e.body);
        }
        return all;
    }

    private void find() {
        int[] idom = Dominators.of(graph.successors);
        int[][] children = Dominators.children(idom);
        List<Integer> seen = new ArrayList<>();
        for (TryCatchBlockNode block : graph.method.tryCatchBlocks) {
            int h = graph.realOf(block.handler);
            int[] range = graph.range(block);
            if (h >= 0 && range[0] >= 0 && range[0] <= h && h < range[1]) {
                selfProtected.set(h, range[1]);
            }
            if (h < 0 || idom[h] < 0 || seen.contains(h)) {
                continue;
            }
            seen.add(h);
            BitSet dominated = Dominators.subtree(children, h);
            extents.add(extent(h, dominated, catchesAll(h)));
        }
        extents.sort(InnerFirst.INSTANCE);
    }

    private boolean catchesAll(int h) {
        for (TryCatchBlockNode block : graph.method.tryCatchBlocks) {
            if (graph.realOf(block.handler) == h && (block.type == null || block.type.equals("java/lang/Throwable"))) {
                return true;
            }
        }
        return false;
    }

    private Extent extent(int h, BitSet dominated, boolean catchesAll) {
        AbstractInsnNode first = graph.real[h];
        if (first.getOpcode() != Opcodes.ASTORE) {
            return new Extent(h, dominated, -1, "it does not store what it caught in a local variable", catchesAll);
        }
        int local = ((VarInsnNode) first).var;
        for (int i = dominated.nextSetBit(0); i >= 0; i = dominated.nextSetBit(i + 1)) {
            if (i != h && overwrites(graph.real[i], local)) {
                return new Extent(h, dominated, -1, "the catch block stores another value in the caught exception's variable",
                        catchesAll);
            }
        }
        return new Extent(h, withinScope(h, local, dominated), local, null, catchesAll);
    }

    /**
     * The dominated code cut at the end of the caught variable's scope, if the local-variable table gives
     * one and the cut leaves a block that is only entered through its handler; otherwise all of it.
     */
    private BitSet withinScope(int h, int local, BitSet dominated) {
        List<LocalVariableNode> table = graph.method.localVariables;
        if (table == null) {
            return dominated;
        }
        for (LocalVariableNode v : table) {
            int start = graph.realOf(v.start);
            if (v.index != local || (start != h && start != h + 1)) {
                continue;
            }
            int end = graph.realOf(v.end);
            BitSet cut = new BitSet();
            cut.or(dominated);
            cut.clear(end < 0 ? graph.real.length : end, graph.real.length);
            cut.clear(0, h);
            return enteredOnlyThroughHandler(cut, h, dominated) ? cut : dominated;
        }
        return dominated;
    }

    private boolean enteredOnlyThroughHandler(BitSet cut, int h, BitSet dominated) {
        for (int i = dominated.nextSetBit(0); i >= 0; i = dominated.nextSetBit(i + 1)) {
            if (cut.get(i)) {
                continue;
            }
            for (int s : graph.successors[i]) {
                if (s != h && cut.get(s)) {
                    return false; // code after the block jumps back into it
                }
            }
        }
        return true;
    }

    private static boolean overwrites(AbstractInsnNode insn, int local) {
        int opcode = insn.getOpcode();
        if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
            int var = ((VarInsnNode) insn).var;
            return var == local || ((opcode == Opcodes.LSTORE || opcode == Opcodes.DSTORE) && var + 1 == local);
        }
        return false;
    }

    /** Smaller blocks first, so inner before outer. A class, not a lambda: see CatchBlockExits.Edit. */
    private static final class InnerFirst implements Comparator<Extent> {
        static final InnerFirst INSTANCE = new InnerFirst();

        @Override
        public int compare(Extent a, Extent b) {
            return Integer.compare(a.body.cardinality(), b.body.cardinality());
        }
    }
}
