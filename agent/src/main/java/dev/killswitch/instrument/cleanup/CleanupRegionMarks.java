package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.flow.MethodGraph;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;

/**
 * Labels around each run of a method's cleanup code (its catch blocks, finally blocks and finally copies),
 * placed before the method is written and read back as bytecode offsets after: the runtime compares them
 * with the bytecode index of each frame on a thread's stack to tell whether that thread is running
 * cleanup code, where a kill must wait.
 *
 * <p>Another agent's transformer running after this one may move the code. So the method's line table is
 * kept too: where a frame's line does not match the line this code has at that offset, the runtime falls
 * back to the lines that hold cleanup code only.
 */
public final class CleanupRegionMarks {
    /**
     * ASM rewrites a method once more if a jump in it needs a wide offset, which moves its code; a method that
     * long keeps no regions (its cleanup code is then not known to the runtime).
     */
    private static final int MAX_STABLE_CODE = 32767;

    private final List<LabelNode> bounds = new ArrayList<>();
    private final LabelNode end = new LabelNode();
    private final List<LineNumberNode> lines = new ArrayList<>();
    private int[] cleanupOnlyLines;

    private CleanupRegionMarks() {
    }

    /** Marks the runs of {@code cleanup} (real-instruction numbers of {@code graph}); null if there are none. */
    static CleanupRegionMarks mark(MethodGraph graph, BitSet cleanup) {
        if (cleanup.isEmpty()) {
            return null;
        }
        CleanupRegionMarks marks = new CleanupRegionMarks();
        for (int from = cleanup.nextSetBit(0); from >= 0; ) {
            int to = cleanup.nextClearBit(from);
            LabelNode start = new LabelNode();
            LabelNode stop = new LabelNode();
            graph.method.instructions.insertBefore(graph.real[from], start);
            graph.method.instructions.insert(graph.real[to - 1], stop);
            marks.bounds.add(start);
            marks.bounds.add(stop);
            from = cleanup.nextSetBit(to);
        }
        graph.method.instructions.add(marks.end);
        marks.lines(graph, cleanup);
        return marks;
    }

    private void lines(MethodGraph graph, BitSet cleanup) {
        for (AbstractInsnNode n : graph.nodes) {
            if (n instanceof LineNumberNode) {
                lines.add((LineNumberNode) n);
            }
        }
        cleanupOnlyLines = linesOnlyIn(graph, cleanup);
    }

    /** The source lines, sorted, whose code is all in {@code code} (real-instruction numbers of {@code graph}). */
    static int[] linesOnlyIn(MethodGraph graph, BitSet code) {
        TreeSet<Integer> inside = new TreeSet<>();
        TreeSet<Integer> outside = new TreeSet<>();
        int line = -1;
        int r = 0;
        for (AbstractInsnNode n : graph.nodes) {
            if (n instanceof LineNumberNode) {
                line = ((LineNumberNode) n).line;
            } else if (n.getOpcode() >= 0) {
                if (line >= 0) {
                    (code.get(r) ? inside : outside).add(line);
                }
                r++;
            }
        }
        inside.removeAll(outside);
        int[] out = new int[inside.size()];
        int i = 0;
        for (int l : inside) { // no lambdas while transforming
            out[i++] = l;
        }
        return out;
    }

    /** After the method was written: its line table as {@code [offset, line]} pairs, in code order. */
    public int[] lineTable() {
        int[] out = new int[lines.size() * 2];
        for (int i = 0; i < lines.size(); i++) {
            out[2 * i] = lines.get(i).start.getLabel().getOffset();
            out[2 * i + 1] = lines.get(i).line;
        }
        return out;
    }

    /** Source lines that hold cleanup code and nothing else, sorted. */
    public int[] cleanupOnlyLines() {
        return cleanupOnlyLines;
    }

    /** After the method was written: {@code [start, end)} pairs of bytecode offsets, or null if they may have moved. */
    public int[] offsets() {
        if (end.getLabel().getOffset() > MAX_STABLE_CODE) {
            return null;
        }
        int[] out = new int[bounds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bounds.get(i).getLabel().getOffset();
        }
        return out;
    }
}
