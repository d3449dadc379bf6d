package dev.killswitch.instrument.killpoints;

import dev.killswitch.instrument.blocking.BlockingCallSites;
import dev.killswitch.instrument.cleanup.CatchBlockExits;
import dev.killswitch.runtime.killpoints.KillPoint;
import dev.killswitch.runtime.registry.KillPointKind;
import dev.killswitch.runtime.registry.SwitchNumbers;
import dev.killswitch.testing.Bytecode;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.TransformingClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inserter on real javac output at several class-file versions, read back and loaded. */
class KillPointInserterTest {
    private final KillPointInserter inserter = new KillPointInserter();

    static Stream<Integer> releases() {
        return IntStream.of(8, 11, 17, InMemoryCompiler.newestRelease()).distinct().boxed();
    }

    private static Map<String, byte[]> fixtures(int release) {
        return InMemoryCompiler.fixtures(release);
    }

    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void everyMethodBodyStartsWithAKillPointExceptStaticInitialisers(int release) {
        fixtures(release).forEach((name, bytes) -> {
            ClassNode cls = Bytecode.read(inserter.instrument(bytes).bytes());
            for (MethodNode m : withCode(cls)) {
                AbstractInsnNode first = firstReal(m);
                if (first instanceof LdcInsnNode && Bytecode.isNumbered(first.getNext())) {
                    first = first.getNext(); // the number of a numbered kill point, then its call
                }
                if (m.name.equals("<clinit>")) {
                    assertFalse(Bytecode.isKillPoint(first), name + ".<clinit> must not start with a kill point");
                } else {
                    assertTrue(Bytecode.isKillPoint(first), name + "." + m.name + m.desc + " starts with " + first);
                }
            }
        });
    }

    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void everyBackwardJumpIsPrecededByAKillPoint(int release) {
        int[] backwardJumps = {0};
        fixtures(release).forEach((name, bytes) -> {
            ClassNode cls = Bytecode.read(inserter.instrument(bytes).bytes());
            for (MethodNode m : withCode(cls)) {
                for (AbstractInsnNode insn : m.instructions) {
                    if (isBackward(m, insn)) {
                        backwardJumps[0]++;
                        AbstractInsnNode killPoint = Bytecode.killPointBefore(insn);
                        assertNotNull(killPoint, name + "." + m.name + ": backward jump at " + m.instructions.indexOf(insn) + " without kill point");
                        if (insn.getOpcode() != Opcodes.GOTO && insn instanceof JumpInsnNode) {
                            assertTrue(Bytecode.isConditionalKillPoint(killPoint), name + "." + m.name + ": a conditional backward jump"
                                    + " needs a kill point that acts only when it goes back");
                            assertEquals(insn.getOpcode(), Bytecode.conditionalKillPointOpcode(killPoint), name + "." + m.name);
                        }
                    }
                }
            }
        });
        assertTrue(backwardJumps[0] > 30, "the fixtures have loops: " + backwardJumps[0]);
    }

    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void noExceptionHandlerStartsWithAKillPointAndEveryHandlerWithCodeHasItsCleanupRegionRecorded(int release) {
        int[] handlers = {0};
        fixtures(release).forEach((name, bytes) -> {
            KillPointInserter.Result result = inserter.instrument(bytes);
            ClassNode cls = Bytecode.read(result.bytes());
            for (MethodNode m : withCode(cls)) {
                for (TryCatchBlockNode tcb : m.tryCatchBlocks) {
                    handlers[0]++;
                    AbstractInsnNode first = tcb.handler;
                    while (first.getOpcode() < 0) {
                        first = first.getNext();
                    }
                    // A kill thrown there would replace the exception the handler is about to handle, and skip its work.
                    assertFalse(Bytecode.isKillPoint(first), name + "." + m.name + ": handler starts with a kill point");
                }
                if (!m.tryCatchBlocks.isEmpty()) {
                    assertTrue(result.cleanupRegions().containsKey(m.name + m.desc), name + "." + m.name + m.desc + ": no cleanup regions");
                }
            }
        });
        assertTrue(handlers[0] > 5, "the fixtures have handlers: " + handlers[0]);
    }

    private static int countStaticPolls(MethodNode m) {
        int n = 0;
        for (org.objectweb.asm.tree.AbstractInsnNode insn : m.instructions) {
            if (insn instanceof org.objectweb.asm.tree.MethodInsnNode && Bytecode.isKillPoint(insn)) { // poll and the numbered at
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void nothingButKillPointsChanges(int release) {
        fixtures(release).forEach((name, bytes) -> {
            KillPointInserter.Result result = inserter.instrument(bytes);
            ClassNode before = Bytecode.read(bytes);
            ClassNode after = Bytecode.read(result.bytes());
            assertEquals(before.version, after.version, name + ": class-file version");
            assertEquals(before.access, after.access);
            assertEquals(before.superName, after.superName);
            assertEquals(before.interfaces, after.interfaces);
            assertEquals(names(before.fields), names(after.fields), name + ": fields");
            assertEquals(before.methods.stream().map(m -> m.access + " " + m.name + m.desc).collect(Collectors.toList()),
                    after.methods.stream().map(m -> m.access + " " + m.name + m.desc).collect(Collectors.toList()), name + ": methods");
            int killPoints = 0;
            int redirected = 0;
            int catchChecks = 0;
            for (int i = 0; i < before.methods.size(); i++) {
                MethodNode b = withBlockingCallsRedirected(before.methods.get(i), before.version);
                MethodNode a = after.methods.get(i);
                assertEquals(Bytecode.instructionsWithoutKillPoints(b), Bytecode.instructionsWithoutKillPoints(a), name + "." + b.name);
                assertEquals(b.tryCatchBlocks.size(), a.tryCatchBlocks.size());
                assertEquals(b.maxLocals, a.maxLocals);
                int checks = Bytecode.countCallsTo(a, "dev/killswitch/runtime/killpoints/KillPoint") - countStaticPolls(a);
                if (b.instructions.size() > 0) {
                    // Plain kill points need no operand stack; conditional ones and the checks at catch-block exits need a few slots.
                    boolean conditional = false;
                    boolean numbered = false;
                    for (AbstractInsnNode insn : a.instructions) {
                        conditional |= Bytecode.isKillPoint(insn) && Bytecode.isConditionalKillPoint(insn);
                        numbered |= Bytecode.isNumbered(insn);
                    }
                    assertEquals(b.maxStack + (checks > 0 ? CatchBlockExits.EXTRA_STACK : 0)
                                    + (conditional ? KillPointMethodVisitor.EXTRA_STACK : 0) + (numbered ? 1 : 0), a.maxStack,
                            name + "." + b.name + ": operand stack");
                }
                catchChecks += checks;
                killPoints += Bytecode.countKillPoints(a);
                redirected += Bytecode.countRedirectedCalls(a);
            }
            assertEquals(result.totalKillPoints() - result.killPoints(KillPointKind.BLOCKING_CALL) - result.killPoints(KillPointKind.CATCH_EXIT),
                    killPoints, name + ": kill points");
            assertEquals(result.killPoints(KillPointKind.CATCH_EXIT), catchChecks, name + ": catch-block exit checks");
            assertEquals(result.killPoints(KillPointKind.BLOCKING_CALL), redirected, name + ": redirected blocking calls");
        });
    }

    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void everyMethodPassesDataFlowAnalysis(int release) throws Exception {
        for (byte[] bytes : fixtures(release).values()) {
            Bytecode.analyzeAll(Bytecode.read(inserter.instrument(bytes).bytes()));
        }
    }

    @Test
    void killPointsAreNumberedInEveryClassFileVersionAndFallBackByVersion() {
        assertPollInstruction(fixtures(8).get("com.acme.shapes.Shapes"), LdcInsnNode.class, "numbered call");
        assertPollInstruction(fixtures(11).get("com.acme.shapes.Shapes"), LdcInsnNode.class, "numbered call");
        assertPollInstruction(fixtures(17).get("com.acme.shapes.Shapes"), LdcInsnNode.class, "numbered call");
        assertPollInstruction(loopClass(Opcodes.V1_6), LdcInsnNode.class, "numbered call");
        assertPollInstruction(loopClass(Opcodes.V1_1), LdcInsnNode.class, "numbered call");
        // once numbers run out
        assertPollInstruction(KillPointInserter.withoutNumbers(), fixtures(17).get("com.acme.shapes.Shapes"), InvokeDynamicInsnNode.class,
                "invokedynamic");
        assertPollInstruction(KillPointInserter.withoutNumbers(), loopClass(Opcodes.V1_6), MethodInsnNode.class, "invokestatic");
        assertPollInstruction(KillPointInserter.withoutNumbers(), loopClass(Opcodes.V1_1), MethodInsnNode.class, "invokestatic");
    }

    @Test
    void eachKillPointPushesTheNumberOfItsMethodAndCallsTheRuntime() {
        ClassNode cls = Bytecode.read(inserter.instrument(fixtures(17).get("com.acme.shapes.Shapes$LoopingConstructor")).bytes());
        java.util.Map<String, java.util.Set<Integer>> numbers = new java.util.HashMap<>();
        for (MethodNode m : withCode(cls)) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.equals("at")) {
                    MethodInsnNode call = (MethodInsnNode) insn;
                    assertEquals(PollStyle.RUNTIME, call.owner);
                    assertEquals("(I)V", call.desc);
                    int number = (Integer) ((LdcInsnNode) call.getPrevious()).cst;
                    assertEquals("com.acme.shapes.Shapes$LoopingConstructor." + m.name,
                            dev.killswitch.runtime.registry.SwitchNumbers.describe(number));
                    numbers.computeIfAbsent(m.name, k -> new java.util.HashSet<>()).add(number);
                }
            }
        }
        assertEquals(java.util.Set.of(1), java.util.Set.of(numbers.get("<init>").size()), "constructor entry and its loop: one number " + numbers);
        assertEquals(2, countCalls(cls, "at"), "constructor entry and its loop");
    }

    /**
     * C2 inlines a method of up to 35 bytes of bytecode wherever it is called ({@code MaxInlineSize}), where a numbered
     * kill point folds to nothing; C1 inlines none whose stack and locals beyond its parameters exceed 10 slots
     * ({@code C1InlineStackLimit}), so it compiles a call instead of the chain of method handles behind it, each with
     * its counters. The same holds for the table lookup C2 inlines into them.
     */
    @Test
    void theNumberedKillPointsAreCallsForC1AndInlinedByC2() throws Exception {
        int found = 0;
        for (MethodNode m : classNode(KillPoint.class).methods) {
            if (m.name.equals("at") || m.name.equals("atIf") || m.name.equals("atIfSwitch")) {
                int size = bytecodeLength(m);
                int parameterSlots = (org.objectweb.asm.Type.getArgumentsAndReturnSizes(m.desc) >> 2) - 1; // static: no this
                assertTrue(size <= 35, m.name + m.desc + ": " + size + " bytes of bytecode");
                assertTrue(m.maxStack + m.maxLocals - parameterSlots > 10, m.name + m.desc + ": stack " + m.maxStack
                        + ", locals " + m.maxLocals);
                found++;
            }
        }
        assertEquals(6, found, "at, four atIf, atIfSwitch");
        for (MethodNode m : classNode(dev.killswitch.runtime.registry.SwitchNumbers.class).methods) {
            if (m.name.equals("of") || m.name.equals("site") || m.name.equals("conditionalSite") || m.name.equals("armedTarget")) {
                assertTrue(bytecodeLength(m) <= 35, "SwitchNumbers." + m.name + ": " + bytecodeLength(m) + " bytes");
                found++;
            }
        }
        for (MethodNode m : classNode(dev.killswitch.runtime.registry.MethodSwitch.class).methods) {
            if (m.name.equals("conditionalSite") || m.name.equals("armedTarget")) {
                assertTrue(bytecodeLength(m) <= 35, "MethodSwitch." + m.name + m.desc + ": " + bytecodeLength(m) + " bytes");
                found++;
            }
        }
        assertEquals(14, found);
    }

    private static ClassNode classNode(Class<?> type) throws java.io.IOException {
        ClassNode node = new ClassNode();
        try (java.io.InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            new org.objectweb.asm.ClassReader(in.readAllBytes()).accept(node, 0);
        }
        return node;
    }

    /** Bytecode length of {@code m}: the offset, once written, of a label after its last instruction. */
    private static int bytecodeLength(MethodNode m) {
        LabelNode end = new LabelNode();
        m.instructions.add(end);
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "Probe", null, "java/lang/Object", null);
        m.accept(w);
        return end.getLabel().getOffset();
    }

    private static int countCalls(ClassNode cls, String name) {
        int n = 0;
        for (MethodNode m : withCode(cls)) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.equals(name)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void eachKillPointNamesItsMethodForTheBootstrapWithoutStaticArguments() {
        ClassNode cls = Bytecode.read(KillPointInserter.withoutNumbers().instrument(fixtures(17).get("com.acme.shapes.Shapes$LoopingConstructor")).bytes());
        int sites = 0;
        for (MethodNode m : withCode(cls)) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof InvokeDynamicInsnNode) {
                    InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
                    assertEquals(m.name.equals("<init>") ? "$init$" : m.name, indy.name);
                    assertEquals("()V", indy.desc);
                    assertEquals(0, indy.bsmArgs.length);
                    assertEquals(dev.killswitch.runtime.killpoints.KillPoint.class.getName().replace('.', '/'), indy.bsm.getOwner());
                    sites++;
                }
            }
        }
        assertEquals(2, sites, "constructor entry and its loop");
    }

    @Test
    void theBootstrapMethodTheKillPointsNameExists() throws Exception {
        java.lang.reflect.Method m = dev.killswitch.runtime.killpoints.KillPoint.class.getMethod(PollStyle.BOOTSTRAP.getName(),
                java.lang.invoke.MethodHandles.Lookup.class, String.class, java.lang.invoke.MethodType.class);
        assertEquals(java.lang.invoke.CallSite.class, m.getReturnType());
        assertEquals("dev/killswitch/runtime/killpoints/KillPoint", PollStyle.BOOTSTRAP.getOwner());
        assertTrue(java.lang.reflect.Modifier.isStatic(dev.killswitch.runtime.killpoints.KillPoint.class.getMethod("poll").getModifiers()));
    }

    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void nothingIsInsertedInAHandlerThatProtectsItsOwnCode(int release) {
        // javac's exit of a synchronized block: anything thrown there would run the same handler again, for ever.
        ClassNode cls = Bytecode.read(inserter.instrument(fixtures(release).get("com.acme.safety.Cleanups")).bytes());
        MethodNode locked = Bytecode.method(cls, "recurseCatchingOverflowLocked");
        int guarded = 0;
        for (TryCatchBlockNode tcb : locked.tryCatchBlocks) {
            int start = locked.instructions.indexOf(tcb.start);
            int end = locked.instructions.indexOf(tcb.end);
            int handler = locked.instructions.indexOf(tcb.handler);
            if (start <= handler && handler < end) {
                guarded++;
                for (int i = handler; i < end; i++) {
                    AbstractInsnNode insn = locked.instructions.get(i);
                    assertFalse(insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.startsWith("dev/killswitch/")
                            || Bytecode.isKillPoint(insn), "inserted into a handler that protects itself: " + i);
                }
            }
        }
        assertTrue(guarded > 0, "the fixture has a monitor exit handler");
    }

    @Test
    void countsKillPointsByKind() {
        Map<String, byte[]> classes = fixtures(17);
        KillPointInserter.Result r = inserter.instrument(classes.get("com.acme.shapes.Shapes$Inner"));
        // Inner.<init> and Inner.run: two entries; run has one loop and no handler.
        assertEquals(2, r.killPoints(KillPointKind.METHOD_ENTRY));
        assertEquals(1, r.killPoints(KillPointKind.BACK_EDGE));

        ClassNode shapes = Bytecode.read(inserter.instrument(classes.get("com.acme.shapes.Shapes")).bytes());
        assertEquals(2, Bytecode.countKillPoints(Bytecode.method(shapes, "whileLoop")), "entry + back-edge");
        assertEquals(1, Bytecode.countKillPoints(Bytecode.method(shapes, "fib")), "entry only");
        // entry and loop; none at the handlers, which get checks where they end instead
        assertEquals(2, Bytecode.countKillPoints(Bytecode.method(shapes, "exceptionEveryIteration")));
    }

    @ParameterizedTest(name = "--release {0}")
    @MethodSource("releases")
    void instrumentedFixturesLoadUnderFullVerificationAndComputeTheSame(int release) throws Exception {
        Map<String, byte[]> classes = fixtures(release);
        TransformingClassLoader plain = new TransformingClassLoader(classes);
        TransformingClassLoader instrumented = new TransformingClassLoader(classes, "com.acme.**");
        Class<?> a = plain.loadClass("com.acme.shapes.Shapes");
        Class<?> b = instrumented.loadClass("com.acme.shapes.Shapes");
        List<String> compared = new ArrayList<>();
        for (Method m : a.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 1 && m.getParameterTypes()[0] == long.class) {
                Object expected = m.invoke(null, 300L);
                Object actual = b.getDeclaredMethod(m.getName(), long.class).invoke(null, 300L);
                assertEquals(expected, actual, m.getName());
                compared.add(m.getName());
            }
        }
        assertTrue(compared.size() >= 25, "compared " + compared);
        assertTrue(instrumented.report().contains("instrumented com.acme.shapes.Shapes:"), instrumented.report());
        assertFalse(plain.report().contains("instrumented"));
    }

    @Test
    void rejectsBytesThatAreNotAClassFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> inserter.instrument(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
        assertTrue(e.getMessage().contains("not a class file"), e.getMessage());
        byte[] truncated = java.util.Arrays.copyOf(fixtures(17).get("com.acme.shapes.Shapes"), 300);
        assertThrows(RuntimeException.class, () -> inserter.instrument(truncated));
    }

    @Test
    void rejectsClassFileVersionsNewerThanItKnows() {
        byte[] bytes = fixtures(17).get("com.acme.shapes.Shapes").clone();
        bytes[6] = 0;
        bytes[7] = (byte) 200;
        UnsupportedClassVersionError e = assertThrows(UnsupportedClassVersionError.class, () -> inserter.instrument(bytes));
        assertEquals("class-file version 200 is newer than this agent supports (up to 72, Java 28)", e.getMessage());
    }

    @Test
    void aMethodThatWouldExceedTheCodeLimitIsLeftAloneAndTheRestInstrumented() throws Exception {
        KillPointInserter.Result r = inserter.instrument(hugeMethodClass());
        assertEquals(List.of("huge()V"), r.skippedMethods());
        ClassNode cls = Bytecode.read(r.bytes());
        assertEquals(0, Bytecode.countKillPoints(Bytecode.method(cls, "huge")));
        assertEquals(2, Bytecode.countKillPoints(Bytecode.method(cls, "small")));
        Class<?> loaded = new TransformingClassLoader(Map.of("com.acme.Huge", r.bytes())).loadClass("com.acme.Huge");
        assertEquals(10, loaded.getMethod("small", int.class).invoke(null, 10));
    }

    /**
     * A method too large once instrumented makes the inserter write the class again without it: the pass it throws
     * away must not have used up numbers of its own, which are never given back, and the kill points that remain
     * name their own method.
     */
    @ParameterizedTest
    @ValueSource(ints = {Opcodes.V1_6, Opcodes.V1_8})
    void writingAClassAgainGivesOutNoMoreNumbers(int version) {
        int before = SwitchNumbers.number("com.acme.Probe", "before");
        KillPointInserter.Result r = inserter.instrument(hugeMethodClass(version));
        int after = SwitchNumbers.number("com.acme.Probe", "after");
        assertEquals(List.of("huge()V"), r.skippedMethods(), "written twice (three times from Java 7: static redirects first)");
        assertEquals(List.of(), r.staticRedirects(), "a method left out is not one with static redirects");
        assertEquals(2, after - before - 1, "one number for each method name, huge and small, however many passes");
        MethodNode small = Bytecode.method(Bytecode.read(r.bytes()), "small");
        for (AbstractInsnNode insn : small.instructions) {
            if (Bytecode.isKillPoint(insn)) {
                int number = (Integer) ((LdcInsnNode) insn.getPrevious()).cst;
                assertEquals("com.acme.Huge.small", SwitchNumbers.describe(number));
            }
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private void assertPollInstruction(byte[] bytes, Class<? extends AbstractInsnNode> type, String style) {
        assertPollInstruction(inserter, bytes, type, style);
    }

    private static void assertPollInstruction(KillPointInserter inserter, byte[] bytes, Class<? extends AbstractInsnNode> type, String style) {
        KillPointInserter.Result r = inserter.instrument(bytes);
        assertTrue(r.pollStyle().contains(style.equals("invokestatic") ? "invokestatic" : style), r.pollStyle());
        ClassNode cls = Bytecode.read(r.bytes());
        for (MethodNode m : withCode(cls)) {
            if (!m.name.equals("<clinit>")) {
                AbstractInsnNode first = firstReal(m);
                assertTrue(type.isInstance(first), m.name + " starts with " + first);
            }
        }
    }

    /** The original method as the inserter should leave it apart from kill points: blocking calls redirected. */
    /** Each blocking call as the runtime call that replaces it: an {@code invokedynamic} from Java 7 class files on. */
    private static MethodNode withBlockingCallsRedirected(MethodNode m, int version) {
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof MethodInsnNode) {
                MethodInsnNode call = (MethodInsnNode) insn;
                BlockingCallSites.Redirect r = BlockingCallSites.lookup(call.getOpcode(), call.owner, call.name, call.desc);
                if (r != null && (version & 0xFFFF) >= Opcodes.V1_7) {
                    m.instructions.set(call, new InvokeDynamicInsnNode(r.name, r.descriptor, new Handle(Opcodes.H_INVOKESTATIC, r.owner, "link",
                            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;", false)));
                } else if (r != null) {
                    m.instructions.set(call, new MethodInsnNode(Opcodes.INVOKESTATIC, r.owner, r.name, r.descriptor, false));
                }
            }
        }
        return m;
    }

    private static List<MethodNode> withCode(ClassNode cls) {
        return cls.methods.stream().filter(m -> m.instructions.size() > 0).collect(Collectors.toList());
    }

    private static AbstractInsnNode firstReal(MethodNode m) {
        AbstractInsnNode i = m.instructions.getFirst();
        while (i.getOpcode() < 0) {
            i = i.getNext();
        }
        return i;
    }

    private static boolean isBackward(MethodNode m, AbstractInsnNode insn) {
        int at = m.instructions.indexOf(insn);
        List<LabelNode> targets = new ArrayList<>();
        if (insn instanceof JumpInsnNode) {
            targets.add(((JumpInsnNode) insn).label);
        } else if (insn instanceof TableSwitchInsnNode) {
            targets.add(((TableSwitchInsnNode) insn).dflt);
            targets.addAll(((TableSwitchInsnNode) insn).labels);
        } else if (insn instanceof LookupSwitchInsnNode) {
            targets.add(((LookupSwitchInsnNode) insn).dflt);
            targets.addAll(((LookupSwitchInsnNode) insn).labels);
        }
        return targets.stream().anyMatch(l -> m.instructions.indexOf(l) < at);
    }

    private static List<String> names(List<FieldNode> fields) {
        return fields.stream().map(f -> f.access + " " + f.name + f.desc).collect(Collectors.toList());
    }

    /** A class of the given version with one static method that loops {@code n} times. */
    static byte[] loopClass(int version) {
        ClassWriter cw = new ClassWriter(version >= Opcodes.V1_7 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS);
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "com/acme/Old", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "count", "(I)I", null, null);
        mv.visitCode();
        Label top = new Label();
        Label done = new Label();
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, 1);
        mv.visitLabel(top);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitJumpInsn(Opcodes.IF_ICMPGE, done);
        mv.visitIincInsn(1, 1);
        mv.visitJumpInsn(Opcodes.GOTO, top);
        mv.visitLabel(done);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** A Java 6 class with a method whose code is 3 bytes short of the 64 KB limit (65,532 of 65,535 bytes), and a small loop. */
    private static byte[] hugeMethodClass() {
        return hugeMethodClass(Opcodes.V1_6);
    }

    private static byte[] hugeMethodClass(int version) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "com/acme/Huge", null, "java/lang/Object", null);
        MethodVisitor huge = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "huge", "()V", null, null);
        huge.visitCode();
        Label top = new Label();
        huge.visitLabel(top);
        for (int i = 0; i < 65_527; i++) {
            huge.visitInsn(Opcodes.NOP);
        }
        huge.visitJumpInsn(Opcodes.GOTO, top); // written as goto_w: 5 bytes
        huge.visitMaxs(0, 0);
        huge.visitEnd();
        MethodVisitor small = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "small", "(I)I", null, null);
        small.visitCode();
        Label loop = new Label();
        Label end = new Label();
        small.visitInsn(Opcodes.ICONST_0);
        small.visitVarInsn(Opcodes.ISTORE, 1);
        small.visitLabel(loop);
        small.visitVarInsn(Opcodes.ILOAD, 1);
        small.visitVarInsn(Opcodes.ILOAD, 0);
        small.visitJumpInsn(Opcodes.IF_ICMPGE, end);
        small.visitIincInsn(1, 1);
        small.visitJumpInsn(Opcodes.GOTO, loop);
        small.visitLabel(end);
        small.visitVarInsn(Opcodes.ILOAD, 1);
        small.visitInsn(Opcodes.IRETURN);
        small.visitMaxs(0, 0);
        small.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
