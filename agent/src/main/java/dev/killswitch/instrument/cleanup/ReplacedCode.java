package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.flow.MethodGraph;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.BitSet;
import java.util.List;

/**
 * Where a kill must not land below a frame that still runs a class's code from before the agent instrumented it (a
 * method running when its class is retransformed keeps its old code until it returns). Old code has no kill points
 * and no checks where its catch blocks end, so a kill reaches such a frame only from what it calls, and:
 * <ul>
 *   <li>while the frame runs a catch or finally block (or a finally copy), a kill would cut that block short: it must
 *       wait, as in instrumented code;
 *   <li>where a handler would catch the kill and let the method go on (it returns, or comes back to code that is not
 *       the handler's, without throwing), the kill would be swallowed for good: nothing there can raise it again.
 * </ul>
 * Both come from the class file the JVM hands the transformer, read in the same pass that instruments it, with the
 * same analysis, as bytecode offsets of that old code: what the thread reports for such a frame.
 */
final class ReplacedCode {
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String ERROR = "java/lang/Error";
    private static final String KILL = "dev/killswitch/ThreadKilledError";

    private ReplacedCode() {
    }

    /**
     * What one method of the code being replaced tells a kill, read before the agent changes anything in it:
     * {@code {cleanup, catching}} as {@code [start, end)} offset pairs, the line table as {@code [offset, line]} pairs,
     * and the lines that hold only cleanup code, and only code where a kill is swallowed (what a frame's line tells when
     * another agent moved the code: see the runtime's CleanupRegions).
     *
     * @param cleanup the method's catch and finally blocks and finally copies, as {@link CatchBlockExits} finds them
     * @param offsets the bytecode offset of each real instruction, from the class file (see {@code flow.CodeOffsets})
     */
    static int[][] regions(MethodGraph graph, BitSet cleanup, int[] offsets) {
        if (graph.real.length != offsets.length) {
            // Not the code the offsets were read from (it cannot happen with the class file ASM read): keep every kill out.
            return new int[][] {{0, Integer.MAX_VALUE}, {0, Integer.MAX_VALUE}, {}, {}, {}};
        }
        cleanup = (BitSet) cleanup.clone();
        cleanup.or(subroutines(graph));
        List<TryCatchBlockNode> handlers = graph.method.tryCatchBlocks;
        byte[] swallows = new byte[handlers.size()]; // 0 not known yet, 1 swallows, 2 does not
        BitSet catching = new BitSet();
        for (int i = 0; i < graph.real.length; i++) {
            int h = firstCatching(graph, i);
            if (h < 0) {
                continue;
            }
            if (swallows[h] == 0) {
                swallows[h] = swallows(graph, handlers.get(h), cleanup) ? (byte) 1 : (byte) 2;
            }
            if (swallows[h] == 1) {
                catching.set(i);
            }
        }
        return new int[][] {pairs(cleanup, offsets), pairs(catching, offsets), lineTable(graph, offsets),
            CleanupRegionMarks.linesOnlyIn(graph, cleanup), CleanupRegionMarks.linesOnlyIn(graph, catching)};
    }

    private static int[] lineTable(MethodGraph graph, int[] offsets) {
        int[] out = new int[2 * graph.nodes.length];
        int n = 0;
        for (int i = 0; i < graph.nodes.length; i++) {
            if (graph.nodes[i] instanceof LineNumberNode) {
                int r = graph.realOf(((LineNumberNode) graph.nodes[i]).start);
                if (r >= 0) {
                    out[n++] = offsets[r];
                    out[n++] = ((LineNumberNode) graph.nodes[i]).line;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The handler the JVM would give a kill thrown at real instruction {@code i}: the first in the table that takes it. */
    private static int firstCatching(MethodGraph graph, int i) {
        List<TryCatchBlockNode> handlers = graph.method.tryCatchBlocks;
        for (int k = 0; k < handlers.size(); k++) {
            TryCatchBlockNode block = handlers.get(k);
            String type = block.type;
            if (type == null || type.equals(THROWABLE) || type.equals(ERROR) || type.equals(KILL)) {
                int[] range = graph.range(block);
                if (range[0] >= 0 && i >= range[0] && i < range[1]) {
                    return k;
                }
            }
        }
        return -1;
    }

    /**
     * True if some path from the handler lets the method go on normally: it returns, or reaches code outside every
     * handler's block, or the try block it protects, without throwing. A throw of what the handler caught (the local
     * it stored it in, reloaded) goes on to the handler that would take a kill there, if any; a throw of anything else
     * (a wrapper carrying the kill) to every handler that covers it, up to one that takes everything. A finally block,
     * a {@code synchronized} exit and try-with-resources all rethrow what they caught: they do not swallow.
     */
    private static boolean swallows(MethodGraph graph, TryCatchBlockNode block, BitSet cleanup) {
        int h = graph.realOf(block.handler);
        int[] range = graph.range(block);
        if (h < 0) {
            return false;
        }
        // Each state is an instruction and the local that holds the kill there (-1 if none), pushed once at most.
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long[] stack = new long[16];
        int top = push(stack, 0, h, caughtIn(graph, h), seen);
        while (top > 0) {
            long state = stack[--top];
            int x = (int) (state >> 32);
            int local = (int) state;
            AbstractInsnNode insn = graph.real[x];
            int opcode = insn.getOpcode();
            if ((x >= range[0] && x < range[1] && x < h) || !cleanup.get(x) || (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)) {
                return true;
            }
            if (opcode == Opcodes.ATHROW) {
                AbstractInsnNode thrown = x > 0 ? graph.real[x - 1] : null;
                boolean theKill = local >= 0 && thrown instanceof VarInsnNode && thrown.getOpcode() == Opcodes.ALOAD
                        && ((VarInsnNode) thrown).var == local;
                for (int next : handlersOf(graph, x, theKill)) {
                    stack = grow(stack, top);
                    top = push(stack, top, next, theKill ? caughtIn(graph, next) : -1, seen); // a wrapper is not the kill
                }
                continue;
            }
            if (insn instanceof VarInsnNode && ((VarInsnNode) insn).var == local && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE
                    && !isHandler(graph, x)) {
                local = -1; // the kill is no longer in it (a handler's first store is where it was put there)
            }
            for (int s : graph.normalSuccessorsOf(x)) {
                stack = grow(stack, top);
                top = push(stack, top, s, local, seen);
            }
        }
        return false;
    }

    private static boolean isHandler(MethodGraph graph, int x) {
        for (TryCatchBlockNode b : graph.method.tryCatchBlocks) {
            if (graph.realOf(b.handler) == x) {
                return true;
            }
        }
        return false;
    }

    /** The local a handler starting at {@code h} stores what it caught in, or -1. */
    private static int caughtIn(MethodGraph graph, int h) {
        AbstractInsnNode first = graph.real[h];
        return first.getOpcode() == Opcodes.ASTORE ? ((VarInsnNode) first).var : -1;
    }

    /**
     * The handlers a throw at {@code x} may reach: of the kill, the first that takes it; of something else, each
     * handler that covers {@code x}, in table order, up to the first that takes everything.
     */
    private static List<Integer> handlersOf(MethodGraph graph, int x, boolean theKill) {
        List<Integer> out = new java.util.ArrayList<>();
        if (theKill) {
            int k = firstCatching(graph, x);
            if (k >= 0) {
                out.add(graph.realOf(graph.method.tryCatchBlocks.get(k).handler));
            }
            return out;
        }
        for (TryCatchBlockNode b : graph.method.tryCatchBlocks) {
            int[] range = graph.range(b);
            if (range[0] >= 0 && x >= range[0] && x < range[1]) {
                out.add(graph.realOf(b.handler));
                if (b.type == null || b.type.equals(THROWABLE)) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The bodies of {@code jsr} subroutines (finally blocks of compilers before Java 6): what each reaches from its
     * start before its {@code ret}. Cleanup code too; a kill thrown in one would cut the finally short.
     */
    private static BitSet subroutines(MethodGraph graph) {
        BitSet body = new BitSet();
        int[] stack = new int[graph.real.length + 1];
        for (int r = 0; r < graph.real.length; r++) {
            if (graph.real[r].getOpcode() != Opcodes.JSR) {
                continue;
            }
            int top = 0;
            int start = graph.realOf(((JumpInsnNode) graph.real[r]).label);
            if (start >= 0 && !body.get(start)) {
                body.set(start);
                stack[top++] = start;
            }
            while (top > 0) {
                int x = stack[--top];
                if (graph.real[x].getOpcode() == Opcodes.RET) {
                    continue;
                }
                for (int s : graph.normalSuccessorsOf(x)) {
                    if (s >= 0 && !body.get(s)) {
                        body.set(s);
                        stack[top++] = s;
                    }
                }
            }
        }
        return body;
    }

    private static long[] grow(long[] stack, int top) {
        return top >= stack.length ? java.util.Arrays.copyOf(stack, stack.length * 2) : stack;
    }

    private static int push(long[] stack, int top, int x, int local, java.util.Set<Long> seen) {
        long state = ((long) x << 32) | (local & 0xFFFFFFFFL);
        if (x >= 0 && seen.add(state)) {
            stack[top++] = state;
        }
        return top;
    }

    /** Runs of set bits as {@code [start, end)} offsets; the last instruction's run ends one past its start. */
    private static int[] pairs(BitSet bits, int[] offsets) {
        int[] out = new int[2 * bits.cardinality()];
        int n = 0;
        for (int from = bits.nextSetBit(0); from >= 0 && from < offsets.length; ) {
            int to = bits.nextClearBit(from);
            out[n++] = offsets[from];
            out[n++] = to < offsets.length ? offsets[to] : offsets[offsets.length - 1] + 1;
            from = bits.nextSetBit(to);
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
