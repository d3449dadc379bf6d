package dev.killswitch.instrument.cleanup;

import dev.killswitch.instrument.flow.CodeOffsets;
import dev.killswitch.instrument.killpoints.KillPointInserter;
import dev.killswitch.testing.InMemoryCompiler;
import dev.killswitch.testing.OldClassFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What frames of replaced code tell a kill, read by the real transformer from real class files, compiled by javac and by
 * an old compiler's rules.
 */
class ReplacedCodeTest {
    private static final String CLASS = "com.acme.replaced.OldHandlers";

    @ParameterizedTest(name = "{0}: swallows {1}")
    @CsvSource({
        "catchAllInLoop, true", "catchErrorAndReturn, true", "finallyInsideCatchAll, true", "rethrowsSometimes, true",
        "wrapsAndCatchesException, true", "wrapperRethrownThenCaught, true",
        "finallyOnly, false", "withResources, false", "synchronizedBlock, false", "catchException, false", "catchAndWrap, false",
        "resourcesInsideCatchException, false", "finallyInsideCatchException, false"
    })
    void aKillThrownByACallIsSwallowedOnlyWhereAHandlerWouldCatchItAndGoOn(String method, boolean swallows) {
        for (int release : new int[] {8, 17}) {
            byte[] bytes = InMemoryCompiler.fixtures(release).get(CLASS);
            KillPointInserter.Result code = replace(bytes);
            assertTrue(code.namesSource());
            int[][] regions = regionsOf(code, method);
            for (int call : offsetsOfCalls(bytes, method, "call")) {
                assertEquals(swallows, within(regions[1], call), method + " at offset " + call + ", --release " + release);
                assertFalse(within(regions[0], call), "the try block is not cleanup code: " + method);
            }
        }
    }

    @Test
    void callsInCatchAndFinallyBlocksAndFinallyCopiesAreCleanup() {
        byte[] bytes = InMemoryCompiler.fixtures(17).get(CLASS);
        KillPointInserter.Result code = replace(bytes);
        for (String method : List.of("finallyOnly", "catchAllInLoop", "catchException", "finallyInsideCatchAll")) {
            List<Integer> others = offsetsOfCalls(bytes, method, "other");
            assertFalse(others.isEmpty(), method);
            for (int other : others) {
                assertTrue(within(regionsOf(code, method)[0], other), method + " at offset " + other);
            }
        }
    }

    @Test
    void aJsrFinallyOfAnOldCompilerRethrows() {
        byte[] bytes = OldClassFiles.guardedLoop(Opcodes.V1_4);
        int[][] regions = replace(bytes).replacedCode().get("run(I)I");
        assertNotNull(regions);
        assertEquals(0, regions[1].length, "nothing in it swallows a kill");
        assertTrue(regions[0].length > 0, "its subroutine is cleanup code");
    }

    @Test
    void offsetsAreReadForEveryInstructionOfEveryFixture() {
        for (Map.Entry<String, byte[]> e : InMemoryCompiler.fixtures(17).entrySet()) {
            ClassReader reader = new ClassReader(e.getValue());
            int[][] offsets = CodeOffsets.of(reader);
            ClassNode node = new ClassNode();
            reader.accept(node, 0);
            for (int m = 0; m < node.methods.size(); m++) {
                MethodNode method = node.methods.get(m);
                long real = java.util.Arrays.stream(method.instructions.toArray()).filter(i -> i.getOpcode() >= 0).count();
                int[] o = offsets[m];
                assertEquals(real, o == null ? 0 : o.length, e.getKey() + "." + method.name);
                for (int i = 1; o != null && i < o.length; i++) {
                    assertTrue(o[i] > o[i - 1], e.getKey() + "." + method.name);
                }
            }
        }
    }

    /** The real transformer, as at a retransformation of code that was not the agent's. */
    private static KillPointInserter.Result replace(byte[] bytes) {
        KillPointInserter.Result result = new KillPointInserter().instrument(bytes, true);
        assertNotNull(result.replacedCode());
        assertNull(new KillPointInserter().instrument(bytes).replacedCode(), "read only when asked");
        return result;
    }

    private static int[][] regionsOf(KillPointInserter.Result code, String method) {
        for (Map.Entry<String, int[][]> e : code.replacedCode().entrySet()) {
            if (e.getKey().startsWith(method + "(")) {
                return e.getValue();
            }
        }
        throw new AssertionError("no regions for " + method + ": " + code.replacedCode().keySet());
    }

    /** The offsets of the calls of {@code callee} in {@code method}, as the class file has them. */
    private static List<Integer> offsetsOfCalls(byte[] bytes, String method, String callee) {
        ClassReader reader = new ClassReader(bytes);
        int[][] offsets = CodeOffsets.of(reader);
        ClassNode node = new ClassNode();
        reader.accept(node, 0);
        List<Integer> out = new ArrayList<>();
        for (int m = 0; m < node.methods.size(); m++) {
            if (!node.methods.get(m).name.equals(method)) {
                continue;
            }
            int r = 0;
            for (AbstractInsnNode insn : node.methods.get(m).instructions) {
                if (insn.getOpcode() < 0) {
                    continue;
                }
                if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.equals(callee)) {
                    out.add(offsets[m][r]);
                }
                r++;
            }
        }
        assertFalse(out.isEmpty(), "no call of " + callee + " in " + method);
        return out;
    }

    private static boolean within(int[] pairs, int offset) {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (offset >= pairs[i] && offset < pairs[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
