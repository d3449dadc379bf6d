package dev.killswitch.instrument;

import dev.killswitch.delivery.KillPointKind;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts the kill points of one method while ASM streams its code through:
 * <ul>
 *   <li>at method entry, before the first instruction and outside every try block;
 *   <li>before each jump, switch, {@code jsr} or {@code ret} whose target was already visited, that
 *       is, each backward jump (ASM visits code in offset order);
 *   <li>after the label and frame of each exception handler, before its first instruction;
 *   <li>and each call to a blocking JDK method listed in {@link BlockingCallSites} becomes a call to its
 *       kill-aware replacement, which takes the same operands and leaves the same result.
 * </ul>
 * Each kill point is inserted right before an existing instruction and after that instruction's
 * labels, so it shares the instruction's stack-map frame and exception ranges: no new branch target,
 * no frame to compute, no class to load. It neither takes nor leaves operands, so max_stack stays.
 */
final class KillPointMethodVisitor extends MethodVisitor {
    /** Marks in {@link Label#info}, cheaper than sets: a label to come that starts a handler, and a label already visited. */
    private static final Object HANDLER = new Object();
    private static final Object VISITED = new Object();

    private final PollStyle.MethodPoll poll;
    private final boolean methodEntry;
    private final int[] counts;

    private boolean handlerEntryPending;
    /** True while the last thing emitted is a kill point: a second one right after it adds nothing. */
    private boolean justPolled;
    private Label entry;
    private boolean entryLineNumbered;

    /**
     * @param methodEntry false for static initialisers, which get no entry kill point
     * @param counts kill points inserted, indexed by {@link KillPointKind#ordinal()}, added to as it goes
     */
    KillPointMethodVisitor(MethodVisitor next, PollStyle.MethodPoll poll, boolean methodEntry, int[] counts) {
        super(Opcodes.ASM9, next);
        this.poll = poll;
        this.methodEntry = methodEntry;
        this.counts = counts;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        if (methodEntry) {
            entry = new Label();
            super.visitLabel(entry);
            emit(KillPointKind.METHOD_ENTRY);
        }
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        handler.info = HANDLER; // ASM visits try-catch blocks before any of their labels
        super.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLabel(Label label) {
        super.visitLabel(label);
        if (label.info == HANDLER) {
            handlerEntryPending = true;
        }
        label.info = VISITED;
        justPolled = false;
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        if (entry != null && !entryLineNumbered) {
            // Give the entry kill point the method's first line, so a kill there names a line.
            entryLineNumbered = true;
            super.visitLineNumber(line, entry);
        }
        super.visitLineNumber(line, start);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        beforeInstruction();
        if (label.info == VISITED) {
            emit(KillPointKind.BACK_EDGE);
        }
        super.visitJumpInsn(opcode, label);
        justPolled = false;
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        beforeInstruction();
        if (anyVisited(dflt, labels)) {
            emit(KillPointKind.BACK_EDGE);
        }
        super.visitTableSwitchInsn(min, max, dflt, labels);
        justPolled = false;
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        beforeInstruction();
        if (anyVisited(dflt, labels)) {
            emit(KillPointKind.BACK_EDGE);
        }
        super.visitLookupSwitchInsn(dflt, keys, labels);
        justPolled = false;
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        beforeInstruction();
        if (opcode == Opcodes.RET) {
            // A subroutine return goes back to just after its jsr; treat it as a back-edge (old class files only).
            emit(KillPointKind.BACK_EDGE);
        }
        super.visitVarInsn(opcode, varIndex);
        justPolled = false;
    }

    @Override
    public void visitInsn(int opcode) {
        beforeInstruction();
        super.visitInsn(opcode);
        justPolled = false;
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        beforeInstruction();
        super.visitIntInsn(opcode, operand);
        justPolled = false;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        beforeInstruction();
        super.visitTypeInsn(opcode, type);
        justPolled = false;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        beforeInstruction();
        super.visitFieldInsn(opcode, owner, name, descriptor);
        justPolled = false;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        beforeInstruction();
        BlockingCallSites.Redirect redirect = BlockingCallSites.lookup(opcode, owner, name, descriptor);
        if (redirect != null) {
            // Same operands in, same result out: only the call goes through the kill-aware runtime.
            super.visitMethodInsn(Opcodes.INVOKESTATIC, redirect.owner, redirect.name, redirect.descriptor, false);
            counts[KillPointKind.BLOCKING_CALL.ordinal()]++;
        } else {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }
        justPolled = false;
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        beforeInstruction();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        justPolled = false;
    }

    @Override
    public void visitLdcInsn(Object value) {
        beforeInstruction();
        super.visitLdcInsn(value);
        justPolled = false;
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        beforeInstruction();
        super.visitIincInsn(varIndex, increment);
        justPolled = false;
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        beforeInstruction();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
        justPolled = false;
    }

    private void beforeInstruction() {
        if (handlerEntryPending) {
            handlerEntryPending = false;
            emit(KillPointKind.HANDLER_ENTRY);
        }
    }

    private void emit(KillPointKind kind) {
        if (justPolled) {
            return;
        }
        poll.emit(mv);
        counts[kind.ordinal()]++;
        justPolled = true;
    }

    private static boolean anyVisited(Label dflt, Label[] labels) {
        if (dflt.info == VISITED) {
            return true;
        }
        for (Label l : labels) {
            if (l.info == VISITED) {
                return true;
            }
        }
        return false;
    }
}
