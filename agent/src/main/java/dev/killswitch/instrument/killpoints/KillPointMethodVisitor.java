package dev.killswitch.instrument.killpoints;

import dev.killswitch.instrument.blocking.BlockingCallSites;
import dev.killswitch.instrument.cleanup.CatchBlockExits;
import dev.killswitch.instrument.flow.ConditionalJumps;
import dev.killswitch.runtime.registry.KillPointKind;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;

/**
 * Inserts the kill points of one method while ASM streams its code through:
 * <ul>
 *   <li>at method entry, before the first instruction and outside every try block;
 *   <li>before each jump or switch whose target was already visited, that is, each backward jump (ASM
 *       visits code in offset order); before a conditional one, or a switch with some cases forward, a
 *       kill point that acts only on the path that goes back, never on the path that leaves the loop;
 *   <li>and each call to a blocking JDK method listed in {@link BlockingCallSites} becomes a call to its
 *       kill-aware replacement, which takes the same operands and leaves the same result.
 * </ul>
 * Exception handlers get none: a kill is never thrown where it would skip a handler's work (see
 * {@link CatchBlockExits} for where handlers give a kill back). Neither do {@code jsr} and {@code ret},
 * which call and leave a subroutine and close no loop, nor code of a handler that protects itself
 * (javac's monitor exit), where anything thrown would run the same code again.
 *
 * <p>Each kill point is inserted right before an existing instruction and after that instruction's
 * labels, so it shares the instruction's stack-map frame and exception ranges: no new branch target,
 * no frame to compute, no class to load. An unconditional one neither takes nor leaves operands; a
 * conditional one copies the jump's operands first, so the method may need up to
 * {@link #EXTRA_STACK} more operand-stack slots.
 */
final class KillPointMethodVisitor extends MethodVisitor {
    /** Operand-stack slots a conditional kill point needs: a copy of two operands and the opcode. */
    static final int EXTRA_STACK = 3;
    /** Marks in {@link Label#info}, cheaper than sets: a label already visited. */
    private static final Object VISITED = new Object();

    private final PollStyle.MethodPoll poll;
    private final boolean methodEntry;
    /** Class files of Java 7 and later: redirected blocking calls are {@code invokedynamic}, each with a profile of its own. */
    private final boolean dynamicRedirects;
    private final int[] counts;

    /** The try blocks, to find handlers that lie inside their own range (see {@link #visitLabel}). */
    private List<Guard> guarded;
    /** Ends of the self-protected code being visited now: no kill point goes there. */
    private int selfProtected;
    private boolean conditional;
    /** Whether any kill point was inserted: a numbered one pushes its number too ({@code MethodPoll.extraStack}). */
    private boolean emitted;
    /** True while the last thing emitted is a kill point: a second one right after it adds nothing. */
    private boolean justPolled;
    private Label entry;
    private boolean entryLineNumbered;

    /**
     * @param methodEntry false for static initialisers, which get no entry kill point
     * @param dynamicRedirects true in class files of Java 7 and later (see {@link BlockingCallSites})
     * @param counts kill points inserted, indexed by {@link KillPointKind#ordinal()}, added to as it goes
     */
    KillPointMethodVisitor(MethodVisitor next, PollStyle.MethodPoll poll, boolean methodEntry, boolean dynamicRedirects, int[] counts) {
        super(Opcodes.ASM9, next);
        this.poll = poll;
        this.methodEntry = methodEntry;
        this.dynamicRedirects = dynamicRedirects;
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
        // ASM visits try-catch blocks before any of their labels.
        if (guarded == null) {
            guarded = new ArrayList<>(4);
        }
        guarded.add(new Guard(start, end, handler));
        super.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLabel(Label label) {
        super.visitLabel(label);
        label.info = VISITED;
        justPolled = false;
        if (guarded != null) {
            for (Guard g : guarded) {
                if (g.end == label && g.inside) {
                    g.inside = false; // the range of a handler inside it ends
                    selfProtected--;
                }
                if (g.handler == label && g.start.info == VISITED && g.end.info != VISITED) {
                    g.inside = true; // the handler starts inside its own range
                    selfProtected++;
                }
            }
        }
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
        if (label.info == VISITED && opcode != Opcodes.JSR) {
            if (opcode == Opcodes.GOTO) {
                emit(KillPointKind.BACK_EDGE);
            } else if (canEmit()) {
                // Only on the path that goes back: leaving the loop (a successful tryLock, say) is never a kill point.
                super.visitInsn(ConditionalJumps.copyOperands(opcode));
                poll.emitIf(mv, opcode);
                emitted = true;
                counts[KillPointKind.BACK_EDGE.ordinal()]++;
                conditional = true;
            }
        }
        super.visitJumpInsn(opcode, label);
        justPolled = false;
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        backwardCases(ConditionalJumps.tableKeys(min, labels.length), dflt, labels);
        super.visitTableSwitchInsn(min, max, dflt, labels);
        justPolled = false;
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        backwardCases(keys, dflt, labels);
        super.visitLookupSwitchInsn(dflt, keys, labels);
        justPolled = false;
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        super.visitVarInsn(opcode, varIndex);
        justPolled = false;
    }

    @Override
    public void visitInsn(int opcode) {
        super.visitInsn(opcode);
        justPolled = false;
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        super.visitIntInsn(opcode, operand);
        justPolled = false;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        super.visitTypeInsn(opcode, type);
        justPolled = false;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        super.visitFieldInsn(opcode, owner, name, descriptor);
        justPolled = false;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        BlockingCallSites.Redirect redirect = BlockingCallSites.lookup(opcode, owner, name, descriptor);
        if (redirect != null) {
            // Same operands in, same result out: only the call goes through the kill-aware runtime.
            redirect.emit(mv, dynamicRedirects);
            counts[KillPointKind.BLOCKING_CALL.ordinal()]++;
        } else {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }
        justPolled = false;
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        justPolled = false;
    }

    @Override
    public void visitLdcInsn(Object value) {
        super.visitLdcInsn(value);
        justPolled = false;
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        super.visitIincInsn(varIndex, increment);
        justPolled = false;
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
        justPolled = false;
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(maxStack + (conditional ? EXTRA_STACK : 0) + (emitted ? poll.extraStack() : 0), maxLocals);
    }

    /** A switch with cases that go back gets a kill point that acts on those cases only. */
    private void backwardCases(int[] keys, Label dflt, Label[] labels) {
        boolean[] back = new boolean[labels.length + 1];
        back[0] = dflt.info == VISITED;
        for (int i = 0; i < labels.length; i++) {
            back[i + 1] = labels[i].info == VISITED;
        }
        String spec = ConditionalJumps.switchSpec(keys, back);
        if (spec == null) {
            return;
        }
        if (spec.isEmpty()) {
            emit(KillPointKind.BACK_EDGE);
        } else if (canEmit()) {
            super.visitInsn(Opcodes.DUP);
            poll.emitIfSwitch(mv, spec);
            emitted = true;
            counts[KillPointKind.BACK_EDGE.ordinal()]++;
            conditional = true;
        }
    }

    private boolean canEmit() {
        return selfProtected == 0;
    }

    private void emit(KillPointKind kind) {
        if (justPolled || !canEmit()) {
            return;
        }
        poll.emit(mv);
        emitted = true;
        counts[kind.ordinal()]++;
        justPolled = true;
    }

    private static final class Guard {
        final Label start;
        final Label end;
        final Label handler;
        boolean inside;

        Guard(Label start, Label end, Label handler) {
            this.start = start;
            this.end = end;
            this.handler = handler;
        }
    }
}
