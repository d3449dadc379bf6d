package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.flow.MethodGraph;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local-variable types that the method's stack-map frames declare, enough to know whether a
 * check may load the caught exception at a given place. Frames are read as the class file has them
 * (compressed), from the method's implicit first frame on.
 */
final class CatchBlockFrames {
    /** For each node: the index of the last frame at or before it, or -1. */
    private final int[] lastFrame;
    private final Map<Integer, List<Object>> localsAtFrame;

    private CatchBlockFrames(int[] lastFrame, Map<Integer, List<Object>> localsAtFrame) {
        this.lastFrame = lastFrame;
        this.localsAtFrame = localsAtFrame;
    }

    static CatchBlockFrames of(MethodNode method, String owner, AbstractInsnNode[] nodes) {
        List<Object> locals = initial(method, owner);
        int[] lastFrame = new int[nodes.length];
        Map<Integer, List<Object>> at = new HashMap<>();
        int last = -1;
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] instanceof FrameNode) {
                FrameNode f = (FrameNode) nodes[i];
                switch (f.type) {
                    case Opcodes.F_NEW:
                    case Opcodes.F_FULL:
                        locals = new ArrayList<>(f.local == null ? List.of() : f.local);
                        break;
                    case Opcodes.F_APPEND:
                        locals = new ArrayList<>(locals);
                        locals.addAll(f.local);
                        break;
                    case Opcodes.F_CHOP:
                        locals = new ArrayList<>(locals.subList(0, Math.max(0, locals.size() - f.local.size())));
                        break;
                    default: // F_SAME, F_SAME1
                        break;
                }
                at.put(i, locals);
                last = i;
            }
            lastFrame[i] = last;
        }
        return new CatchBlockFrames(lastFrame, at);
    }

    /**
     * Makes sure the verifier sees a reference in {@code local} right at node {@code at}, inside the
     * extent of a catch block whose handler, at real instruction {@code handler}, stores what it caught
     * there (at node {@code store}) and never again. Where a frame inside the extent has forgotten the
     * variable (its scope ended), the frame is made to declare it again: every path into that frame
     * comes from the handler, so the variable holds the caught exception there.
     *
     * @return false if that cannot be shown (code laid out unusually), and nothing was changed
     */
    boolean keepReference(int at, int store, int local, int handler, BitSet extent, MethodGraph graph) {
        if (localsAtFrame.isEmpty()) {
            return true; // no stack-map frames (class files before Java 6): the verifier infers types
        }
        int frame = lastFrame[at];
        if (frame < 0) {
            return false;
        }
        int attached = graph.realAtOrAfter(frame);
        if (attached == handler) {
            return at >= store; // the handler's own frame, then the store
        }
        if (attached < 0 || !extent.get(attached)) {
            return false;
        }
        // Not only the frame before this check: every frame of the catch block after its handler's own. A jump
        // into the frame before the check may come from code under another frame of the block that has forgotten
        // the variable too (its scope ended earlier), and the verifier checks each jump against the frame it
        // reaches. Declaring the variable in all of them is sound for the same reason as in one.
        for (Map.Entry<Integer, List<Object>> other : localsAtFrame.entrySet()) {
            int real = graph.realAtOrAfter(other.getKey());
            Object type = slot(other.getValue(), local);
            if (real >= 0 && real != handler && extent.get(real) && !(type instanceof String || type == Opcodes.NULL)) {
                Map<Integer, Object> types = overrides.get(other.getKey()); // no lambda: see CatchBlockExits.Edit
                if (types == null) {
                    types = new HashMap<>();
                    overrides.put(other.getKey(), types);
                }
                types.put(local, "java/lang/Throwable");
            }
        }
        return true;
    }

    private final Map<Integer, Map<Integer, Object>> overrides = new HashMap<>();

    /**
     * Writes the frames that must declare caught exceptions again as full frames, and the frame after
     * each of them as a full frame too, since it may have been written relative to it.
     */
    void rewrite(AbstractInsnNode[] nodes) {
        if (overrides.isEmpty()) {
            return;
        }
        boolean previousChanged = false;
        for (int i = 0; i < nodes.length; i++) {
            if (!(nodes[i] instanceof FrameNode)) {
                continue;
            }
            Map<Integer, Object> changes = overrides.get(i);
            if (changes == null && !previousChanged) {
                continue;
            }
            FrameNode f = (FrameNode) nodes[i];
            List<Object> locals = localsAtFrame.get(i);
            if (changes != null) {
                for (Map.Entry<Integer, Object> change : changes.entrySet()) {
                    locals = withSlot(locals, change.getKey(), change.getValue());
                }
            }
            List<Object> stack = f.type == Opcodes.F_SAME1 || f.type == Opcodes.F_FULL || f.type == Opcodes.F_NEW
                    ? (f.stack == null ? List.of() : f.stack) : List.of();
            f.type = Opcodes.F_FULL;
            f.local = new ArrayList<>(locals);
            f.stack = new ArrayList<>(stack);
            previousChanged = changes != null;
        }
    }

    private static List<Object> withSlot(List<Object> locals, int local, Object type) {
        List<Object> out = new ArrayList<>(locals.size() + 1);
        int slot = 0;
        boolean done = false;
        for (Object t : locals) {
            out.add(slot == local ? type : t);
            done |= slot == local;
            slot += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; !done; slot++) {
            out.add(slot == local ? type : Opcodes.TOP);
            done = slot == local;
        }
        return out;
    }

    private static Object slot(List<Object> locals, int local) {
        int slot = 0;
        for (Object type : locals) {
            if (slot == local) {
                return type;
            }
            slot += type == Opcodes.LONG || type == Opcodes.DOUBLE ? 2 : 1;
        }
        return Opcodes.TOP;
    }

    private static List<Object> initial(MethodNode method, String owner) {
        List<Object> locals = new ArrayList<>();
        if ((method.access & Opcodes.ACC_STATIC) == 0) {
            locals.add("<init>".equals(method.name) ? Opcodes.UNINITIALIZED_THIS : owner);
        }
        for (Type t : Type.getArgumentTypes(method.desc)) {
            switch (t.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    locals.add(Opcodes.INTEGER);
                    break;
                case Type.FLOAT:
                    locals.add(Opcodes.FLOAT);
                    break;
                case Type.LONG:
                    locals.add(Opcodes.LONG);
                    break;
                case Type.DOUBLE:
                    locals.add(Opcodes.DOUBLE);
                    break;
                default:
                    locals.add(t.getInternalName());
                    break;
            }
        }
        return locals;
    }
}
