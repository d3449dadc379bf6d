package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.flow.MethodGraph;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cleanup code on the paths that leave a try block without an exception. Compilers emit a finally block
 * once as a handler ({@code astore t; body; aload t; athrow}) and once more wherever the try block is left
 * normally: after it, and before each {@code return}, {@code break} or {@code continue} in it, always where
 * one of the handler's protected ranges ends. Try-with-resources does the same with {@code close()}, which its
 * catch-all handler calls first. So the code at each end of a catch-all handler's ranges is compared with
 * the start of the handler's work, instruction by instruction (local variables may be numbered differently,
 * consistently): as much of it as repeats that work, if that includes a call, is cleanup code too. A kill
 * waits until it has run.
 */
final class FinallyCopies {
    private FinallyCopies() {
    }

    /** The instructions of every such copy found outside handler blocks. */
    static BitSet of(HandlerExtents extents) {
        MethodGraph g = extents.graph;
        BitSet blocks = extents.allBlocks();
        BitSet copies = new BitSet();
        for (HandlerExtents.Extent e : extents.extents) {
            int[] body = finallyBody(g, e);
            if (body == null) {
                continue;
            }
            for (TryCatchBlockNode block : g.method.tryCatchBlocks) {
                if (g.realOf(block.handler) != e.handler) {
                    continue;
                }
                int at = g.range(block)[1];
                if (at < g.real.length && !blocks.get(at) && !copies.get(at)) {
                    int length = sameCode(g, body[0], body[1] - body[0], at);
                    if (length > 0) {
                        copies.set(at, at + length);
                    }
                }
            }
        }
        return copies;
    }

    /**
     * {@code [from, to)} of a catch-all handler's body between storing what it caught and throwing it
     * again, if the handler is laid out as one such run; else null.
     */
    private static int[] finallyBody(MethodGraph g, HandlerExtents.Extent e) {
        if (!e.catchesAll || e.local < 0) {
            return null;
        }
        int last = e.body.length() - 1;
        if (e.body.cardinality() != last - e.handler + 1 || last - e.handler < 3) {
            return null; // not one run, or an empty body
        }
        AbstractInsnNode athrow = g.real[last];
        AbstractInsnNode load = g.real[last - 1];
        if (athrow.getOpcode() != Opcodes.ATHROW || load.getOpcode() != Opcodes.ALOAD || ((VarInsnNode) load).var != e.local) {
            return null;
        }
        return new int[] {e.handler + 1, last - 1};
    }

    /**
     * How many instructions from {@code b} repeat those from {@code a} (at most {@code length}; through the
     * copy's own nested try blocks and handlers, which repeat the original's), if that run includes a call;
     * else 0.
     */
    private static int sameCode(MethodGraph g, int a, int length, int b) {
        Map<Integer, Integer> locals = new HashMap<>();
        Map<Integer, Integer> reverse = new HashMap<>();
        int same = 0;
        int calls = 0;
        int withCall = 0;
        for (int k = 0; k < length && b + k < g.real.length; k++) {
            AbstractInsnNode x = g.real[a + k];
            AbstractInsnNode y = g.real[b + k];
            if (x.getOpcode() != y.getOpcode() || !sameOperands(g, x, y, a, b, length, locals, reverse)) {
                break;
            }
            same = k + 1;
            if (x instanceof MethodInsnNode || x instanceof InvokeDynamicInsnNode) {
                calls++;
                withCall = same;
            }
        }
        if (same == length) {
            return same; // a whole finally body
        }
        return calls > 0 ? withCall : 0; // the part of it up to its last call (try-with-resources' close())
    }

    private static boolean sameOperands(MethodGraph g, AbstractInsnNode x, AbstractInsnNode y, int a, int b, int length,
                                        Map<Integer, Integer> locals, Map<Integer, Integer> reverse) {
        if (x instanceof VarInsnNode) {
            return sameLocal(((VarInsnNode) x).var, ((VarInsnNode) y).var, locals, reverse);
        }
        if (x instanceof IincInsnNode) {
            return ((IincInsnNode) x).incr == ((IincInsnNode) y).incr
                    && sameLocal(((IincInsnNode) x).var, ((IincInsnNode) y).var, locals, reverse);
        }
        if (x instanceof IntInsnNode) {
            return ((IntInsnNode) x).operand == ((IntInsnNode) y).operand;
        }
        if (x instanceof LdcInsnNode) {
            return ((LdcInsnNode) x).cst.equals(((LdcInsnNode) y).cst);
        }
        if (x instanceof TypeInsnNode) {
            return ((TypeInsnNode) x).desc.equals(((TypeInsnNode) y).desc);
        }
        if (x instanceof FieldInsnNode) {
            FieldInsnNode f = (FieldInsnNode) x;
            FieldInsnNode h = (FieldInsnNode) y;
            return f.owner.equals(h.owner) && f.name.equals(h.name) && f.desc.equals(h.desc);
        }
        if (x instanceof MethodInsnNode) {
            MethodInsnNode m = (MethodInsnNode) x;
            MethodInsnNode n = (MethodInsnNode) y;
            return m.owner.equals(n.owner) && m.name.equals(n.name) && m.desc.equals(n.desc);
        }
        if (x instanceof InvokeDynamicInsnNode) {
            InvokeDynamicInsnNode m = (InvokeDynamicInsnNode) x;
            InvokeDynamicInsnNode n = (InvokeDynamicInsnNode) y;
            return m.name.equals(n.name) && m.desc.equals(n.desc) && m.bsm.equals(n.bsm) && Arrays.equals(m.bsmArgs, n.bsmArgs);
        }
        if (x instanceof MultiANewArrayInsnNode) {
            return ((MultiANewArrayInsnNode) x).desc.equals(((MultiANewArrayInsnNode) y).desc)
                    && ((MultiANewArrayInsnNode) x).dims == ((MultiANewArrayInsnNode) y).dims;
        }
        if (x instanceof JumpInsnNode) {
            return sameTarget(g, ((JumpInsnNode) x).label, ((JumpInsnNode) y).label, a, b, length);
        }
        if (x instanceof TableSwitchInsnNode) {
            TableSwitchInsnNode s = (TableSwitchInsnNode) x;
            TableSwitchInsnNode t = (TableSwitchInsnNode) y;
            return s.min == t.min && s.max == t.max && sameTargets(g, s.dflt, s.labels, t.dflt, t.labels, a, b, length);
        }
        if (x instanceof LookupSwitchInsnNode) {
            LookupSwitchInsnNode s = (LookupSwitchInsnNode) x;
            LookupSwitchInsnNode t = (LookupSwitchInsnNode) y;
            return s.keys.equals(t.keys) && sameTargets(g, s.dflt, s.labels, t.dflt, t.labels, a, b, length);
        }
        return true; // no operands
    }

    private static boolean sameLocal(int x, int y, Map<Integer, Integer> locals, Map<Integer, Integer> reverse) {
        Integer mapped = locals.putIfAbsent(x, y);
        Integer back = reverse.putIfAbsent(y, x);
        return (mapped == null || mapped == y) && (back == null || back == x);
    }

    private static boolean sameTargets(MethodGraph g, LabelNode dx, List<LabelNode> lx, LabelNode dy, List<LabelNode> ly,
                                       int a, int b, int length) {
        if (lx.size() != ly.size() || !sameTarget(g, dx, dy, a, b, length)) {
            return false;
        }
        for (int i = 0; i < lx.size(); i++) {
            if (!sameTarget(g, lx.get(i), ly.get(i), a, b, length)) {
                return false;
            }
        }
        return true;
    }

    /** Jumps within each copy to the same place in it; jumps out of a copy are not compared (they differ by design). */
    private static boolean sameTarget(MethodGraph g, LabelNode x, LabelNode y, int a, int b, int length) {
        int tx = g.realOf(x) - a;
        int ty = g.realOf(y) - b;
        boolean insideX = tx >= 0 && tx < length;
        boolean insideY = ty >= 0 && ty < length;
        return insideX == insideY && (!insideX || tx == ty);
    }
}
