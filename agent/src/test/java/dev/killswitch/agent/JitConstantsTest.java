package dev.killswitch.agent;

import dev.killswitch.runtime.killpoints.KillPoint;
import dev.killswitch.runtime.registry.JitConstant;
import dev.killswitch.runtime.registry.JitOutOfLine;
import dev.killswitch.runtime.registry.MethodSwitch;
import dev.killswitch.runtime.registry.SwitchNumbers;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's {@link JitConstant} fields become the JDK's {@code @Stable} and its {@link JitOutOfLine} methods the
 * JDK's {@code @DontInline} as the boot loader gets them, and nothing else changes.
 */
class JitConstantsTest {
    private static final String STABLE = "Ljdk/internal/vm/annotation/Stable;";
    private static final String DONT_INLINE = "Ljdk/internal/vm/annotation/DontInline;";

    @Test
    void theMarksAreTheAnnotationsOwnDescriptors() {
        assertEquals("L" + JitConstant.class.getName().replace('.', '/') + ";", JitConstants.MARK_DESCRIPTOR);
        assertEquals("L" + JitOutOfLine.class.getName().replace('.', '/') + ";", JitConstants.OUT_OF_LINE_DESCRIPTOR);
    }

    @Test
    void theSlowPathsOfTheNumberedLookupAreNeverInlined() throws IOException {
        assertEquals(Map.of("link", List.of(DONT_INLINE), "linkConditional", List.of(DONT_INLINE)),
                annotatedMethods(JitConstants.markedForJit(bytes(SwitchNumbers.class))));
        assertEquals(Map.of("makeConditionalSite", List.of(DONT_INLINE)), annotatedMethods(JitConstants.markedForJit(bytes(MethodSwitch.class))));
        assertEquals(Map.of("link", List.of(JitConstants.OUT_OF_LINE_DESCRIPTOR), "linkConditional", List.of(JitConstants.OUT_OF_LINE_DESCRIPTOR)),
                annotatedMethods(bytes(SwitchNumbers.class)));
    }

    @Test
    void theSwitchTableAndTheSwitchesSitesBecomeStable() throws IOException {
        assertEquals(Map.of("TABLE", List.of(STABLE), "SITES", List.of(STABLE), "CONDITIONAL_SITES", List.of(STABLE)), annotatedFields(JitConstants.markedForJit(bytes(SwitchNumbers.class))));
        assertEquals(Map.of("site", List.of(STABLE), "conditional", List.of(STABLE), "CONDITIONAL_IDLE", List.of(STABLE)),
                annotatedFields(JitConstants.markedForJit(bytes(MethodSwitch.class))));
        // Before the rewrite, the same fields carry the mark.
        assertEquals(Map.of("TABLE", List.of(JitConstants.MARK_DESCRIPTOR), "SITES", List.of(JitConstants.MARK_DESCRIPTOR),
                "CONDITIONAL_SITES", List.of(JitConstants.MARK_DESCRIPTOR)),
                annotatedFields(bytes(SwitchNumbers.class)));
    }

    @Test
    void theRewrittenClassIsStillAValidClassFile() throws IOException {
        byte[] rewritten = JitConstants.markedForJit(bytes(MethodSwitch.class));
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(rewritten), getClass().getClassLoader(), false, new PrintWriter(problems));
        assertEquals("", problems.toString());
        assertEquals(bytes(MethodSwitch.class).length + STABLE.length() - JitConstants.MARK_DESCRIPTOR.length()
                + DONT_INLINE.length() - JitConstants.OUT_OF_LINE_DESCRIPTOR.length(), rewritten.length);
    }

    @Test
    void aClassWithoutTheMarkIsLeftAsItIs() throws IOException {
        byte[] original = bytes(KillPoint.class);
        assertSame(original, JitConstants.markedForJit(original));
    }

    private static Map<String, List<String>> annotatedFields(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        Map<String, List<String>> out = new TreeMap<>();
        for (FieldNode f : node.fields) {
            if (f.visibleAnnotations != null) {
                out.put(f.name, f.visibleAnnotations.stream().map((AnnotationNode a) -> a.desc).collect(java.util.stream.Collectors.toList()));
            }
        }
        return out;
    }

    private static Map<String, List<String>> annotatedMethods(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        Map<String, List<String>> out = new TreeMap<>();
        for (MethodNode m : node.methods) {
            if (m.visibleAnnotations != null) {
                out.put(m.name, m.visibleAnnotations.stream().map((AnnotationNode a) -> a.desc).collect(java.util.stream.Collectors.toList()));
            }
        }
        return out;
    }

    private static byte[] bytes(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
