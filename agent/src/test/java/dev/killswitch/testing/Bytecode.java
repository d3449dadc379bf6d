package dev.killswitch.testing;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;
import org.objectweb.asm.util.Printer;

import java.util.ArrayList;
import java.util.List;

/** Reads class files back for assertions: instructions, kill points, and a data-flow check of every method. */
public final class Bytecode {
    public static final String RUNTIME = "dev/killswitch/runtime/killpoints/KillPoint";

    private Bytecode() {
    }

    public static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node;
    }

    public static MethodNode method(ClassNode cls, String name) {
        return cls.methods.stream().filter(m -> m.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no method " + name + " in " + cls.name));
    }

    /** True if {@code insn} is the call of a kill point (a conditional one comes after a copy of its operands). */
    public static boolean isKillPoint(AbstractInsnNode insn) {
        if (insn instanceof MethodInsnNode) {
            MethodInsnNode m = (MethodInsnNode) insn;
            return m.owner.equals(RUNTIME) && (m.name.startsWith("poll") || isNumbered(m));
        }
        if (insn instanceof InvokeDynamicInsnNode) {
            return ((InvokeDynamicInsnNode) insn).bsm.getOwner().equals(RUNTIME);
        }
        return false;
    }

    /**
     * Real instructions (no labels, frames, line numbers) rendered as text, kill points removed, and the
     * checks at catch-block exits with the instructions that load their operands.
     */
    public static List<String> instructionsWithoutKillPoints(MethodNode method) {
        List<String> out = new ArrayList<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LabelNode || insn instanceof FrameNode || insn instanceof LineNumberNode) {
                continue;
            }
            if (isKillPoint(insn)) {
                // the copy of the operands and the opcode or cases of a conditional one, the number of a numbered one
                int pushed = (isConditionalKillPoint(insn) ? 2 : 0) + (isNumbered(insn) ? 1 : 0);
                out.subList(out.size() - pushed, out.size()).clear();
                continue;
            }
            int operands = catchCheckOperands(insn);
            if (operands > 0) {
                out.subList(out.size() - operands, out.size()).clear();
                continue;
            }
            out.add(render(insn));
        }
        return out;
    }

    /** True for a kill point that acts on one path of a branch only: it takes a copy of the branch's operands. */
    public static boolean isConditionalKillPoint(AbstractInsnNode insn) {
        String desc = insn instanceof MethodInsnNode ? ((MethodInsnNode) insn).desc : ((InvokeDynamicInsnNode) insn).desc;
        return !desc.equals("()V") && !(isNumbered(insn) && desc.equals("(I)V"));
    }

    /** True for the call of a numbered kill point, which comes after its method's number. */
    public static boolean isNumbered(AbstractInsnNode insn) {
        if (!(insn instanceof MethodInsnNode)) {
            return false;
        }
        MethodInsnNode m = (MethodInsnNode) insn;
        return m.owner.equals(RUNTIME) && (m.name.equals("at") || m.name.equals("atIf") || m.name.equals("atIfSwitch"));
    }

    /** For a check at a catch-block exit, the number of instructions before it that load its operands; else 0. */
    public static int catchCheckOperands(AbstractInsnNode insn) {
        if (!(insn instanceof MethodInsnNode) || !((MethodInsnNode) insn).owner.equals(RUNTIME)) {
            return 0;
        }
        switch (((MethodInsnNode) insn).name) {
            case "catchExit":
                return 2; // caught, flags
            case "catchThrow":
            case "catchExitIf":
                return 3; // a copy of the thrown exception or the operands, caught or the code, flags or caught
            case "catchExitIfSwitch":
                return 4;
            default:
                return 0;
        }
    }

    public static int countKillPoints(MethodNode method) {
        int n = 0;
        for (AbstractInsnNode insn : method.instructions) {
            if (isKillPoint(insn)) {
                n++;
            }
        }
        return n;
    }

    /** The runtime classes that blocking calls are redirected to. */
    public static final List<String> BLOCKING_RUNTIME = List.of("dev/killswitch/runtime/blocking/BlockingCalls",
            "dev/killswitch/runtime/blocking/BlockingSynchronizers", "dev/killswitch/runtime/blocking/BlockingIo");

    /** The runtime class a redirected blocking call goes to, by a static call or an {@code invokedynamic} it links; else null. */
    public static String redirectedTo(AbstractInsnNode insn) {
        String owner = insn instanceof MethodInsnNode ? ((MethodInsnNode) insn).owner
                : insn instanceof InvokeDynamicInsnNode ? ((InvokeDynamicInsnNode) insn).bsm.getOwner() : null;
        return owner != null && BLOCKING_RUNTIME.contains(owner) ? owner : null;
    }

    /** Redirected blocking calls in {@code method}: static calls, or {@code invokedynamic}, to the blocking runtime. */
    public static int countRedirectedCalls(MethodNode method) {
        int n = 0;
        for (AbstractInsnNode insn : method.instructions) {
            if (redirectedTo(insn) != null) {
                n++;
            }
        }
        return n;
    }

    /** Calls to static methods of any of {@code owners}. */
    public static int countCallsTo(MethodNode method, String... owners) {
        int n = 0;
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode && java.util.Arrays.asList(owners).contains(((MethodInsnNode) insn).owner)) {
                n++;
            }
        }
        return n;
    }

    /** The real instruction before {@code insn}, skipping labels, frames and line numbers. */
    public static AbstractInsnNode previousReal(AbstractInsnNode insn) {
        AbstractInsnNode p = insn.getPrevious();
        while (p != null && p.getOpcode() < 0) {
            p = p.getPrevious();
        }
        return p;
    }

    /** The call of the kill point that ends right before {@code insn}, or null if there is none. */
    public static AbstractInsnNode killPointBefore(AbstractInsnNode insn) {
        AbstractInsnNode p = insn.getPrevious();
        if (p == null || p.getOpcode() < 0) {
            return null; // a label between: not the same position
        }
        return isKillPoint(p) ? p : null;
    }

    /** The opcode a conditional kill point passes (the value pushed right before its call). */
    public static int conditionalKillPointOpcode(AbstractInsnNode call) {
        AbstractInsnNode opcode = isNumbered(call) ? call.getPrevious().getPrevious() : call.getPrevious();
        return ((org.objectweb.asm.tree.IntInsnNode) opcode).operand;
    }

    /**
     * Runs ASM's data-flow analysis over every method: stack heights, local types, jsr/ret
     * subroutines. It loads no classes. Throws if any method's code is inconsistent.
     */
    public static void analyzeAll(ClassNode cls) throws AnalyzerException {
        for (MethodNode m : cls.methods) {
            if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                new Analyzer<BasicValue>(new BasicVerifier()).analyze(cls.name, m);
            }
        }
    }

    private static String render(AbstractInsnNode insn) {
        StringBuilder s = new StringBuilder(Printer.OPCODES[insn.getOpcode()]);
        if (insn instanceof MethodInsnNode) {
            MethodInsnNode m = (MethodInsnNode) insn;
            s.append(' ').append(m.owner).append('.').append(m.name).append(m.desc);
        } else if (insn instanceof InvokeDynamicInsnNode) {
            InvokeDynamicInsnNode d = (InvokeDynamicInsnNode) insn;
            s.append(' ').append(d.name).append(d.desc).append(" bootstrap ").append(d.bsm.getOwner()).append('.').append(d.bsm.getName())
                    .append(java.util.Arrays.toString(d.bsmArgs));
        }
        return s.toString();
    }
}
