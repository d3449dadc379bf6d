package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.flow.CodeOffsets;
import dev.killswitch.instrument.flow.MethodGraph;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * Both come from the class file as the JVM loaded it, with the analysis used for the code the agent writes, as
 * bytecode offsets of that old code: what the thread reports for such a frame.
 */
public final class ReplacedCode {
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String ERROR = "java/lang/Error";
    private static final String KILL = "dev/killswitch/ThreadKilledError";

    /**
     * By method name and descriptor: {@code {cleanup, catching}} as {@code [start, end)} offset pairs, the line table as
     * {@code [offset, line]} pairs, and the lines that hold only cleanup code, and only code where a kill is swallowed
     * (what a frame's line tells when another agent moved the code: see the runtime's CleanupRegions).
     */
    public final Map<String, int[][]> methods;
    /** True if the class names its source file: then a frame reported without one runs old code. */
    public final boolean hasSourceFile;

    private ReplacedCode(Map<String, int[][]> methods, boolean hasSourceFile) {
        this.methods = methods;
        this.hasSourceFile = hasSourceFile;
    }

    /** Reads the code a retransformation replaces ({@code classFile}, as the JVM gives it to the transformer). */
    public static ReplacedCode of(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        int[][] offsets = CodeOffsets.of(reader);
        ClassNode node = new ClassNode();
        reader.accept(node, 0);
        Map<String, int[][]> out = new HashMap<>();
        for (int m = 0; m < node.methods.size() && m < offsets.length; m++) {
            MethodNode method = node.methods.get(m);
            if (method.tryCatchBlocks != null && !method.tryCatchBlocks.isEmpty() && offsets[m] != null) {
                out.put(method.name + method.desc, regions(method, offsets[m]));
            }
        }
        return new ReplacedCode(out, node.sourceFile != null);
    }

    private static int[][] regions(MethodNode method, int[] offsets) {
        MethodGraph graph = new MethodGraph(method);
        if (graph.real.length != offsets.length) {
            // Not the code the offsets were read from (it cannot happen with the class file ASM read): keep every kill out.
            return new int[][] {{0, Integer.MAX_VALUE}, {}, {}, {}, {}};
        }
        HandlerExtents blocks = HandlerExtents.of(graph);
        BitSet cleanup = blocks.allBlocks();
        cleanup.or(FinallyCopies.of(blocks));
        List<TryCatchBlockNode> handlers = method.tryCatchBlocks;
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
     * handler's block, or the try block it protects, without throwing. A throw goes on to the handler that would take
     * it there, if any. A finally block, a {@code synchronized} exit and try-with-resources all rethrow: they do not.
     */
    private static boolean swallows(MethodGraph graph, TryCatchBlockNode block, BitSet cleanup) {
        int h = graph.realOf(block.handler);
        int[] range = graph.range(block);
        if (h < 0) {
            return false;
        }
        BitSet seen = new BitSet(); // each instruction is pushed once at most
        int[] stack = new int[graph.real.length];
        int top = push(stack, 0, h, seen);
        while (top > 0) {
            int x = stack[--top];
            int opcode = graph.real[x].getOpcode();
            if ((x >= range[0] && x < range[1] && x < h) || !cleanup.get(x) || (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)) {
                return true;
            }
            if (opcode == Opcodes.ATHROW) {
                int next = firstCatching(graph, x);
                if (next >= 0) {
                    top = push(stack, top, graph.realOf(graph.method.tryCatchBlocks.get(next).handler), seen);
                }
                continue;
            }
            if (opcode == Opcodes.JSR) {
                top = push(stack, top, x + 1, seen); // a subroutine (an old compiler's finally) comes back after its jsr
                continue;
            }
            for (int s : graph.normalSuccessorsOf(x)) {
                top = push(stack, top, s, seen);
            }
        }
        return false;
    }

    private static int push(int[] stack, int top, int x, BitSet seen) {
        if (x >= 0 && x < stack.length && !seen.get(x)) {
            seen.set(x);
            stack[top++] = x;
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
