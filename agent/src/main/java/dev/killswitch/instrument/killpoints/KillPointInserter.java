package dev.killswitch.instrument.killpoints;

import dev.killswitch.instrument.cleanup.CatchBlockExits;
import dev.killswitch.instrument.cleanup.CleanupRegionMarks;
import dev.killswitch.instrument.flow.CodeOffsets;
import dev.killswitch.runtime.registry.KillPointKind;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns the bytes of one class into the same class with kill points in every method body. Reads and
 * writes with ASM without computing frames or loading classes: the constant pool is copied, the
 * class-file version kept, and nothing but kill points (and the constants they use) is added.
 */
public final class KillPointInserter {
    /** The newest class-file version the bundled ASM reads (72: Java 28). */
    public static final int NEWEST_CLASS_FILE_VERSION = Opcodes.V28;

    /** What became of one class. */
    public static final class Result {
        private final byte[] bytes;
        private final int classFileVersion;
        private final Set<PollStyle> pollStyles;
        private final int[] killPoints;
        private final List<String> skippedMethods;
        private final List<String> staticRedirects;
        private final List<String> uncheckedCatchBlocks;
        private final Map<String, int[][]> cleanupRegions;
        private final Map<String, int[][]> replacedCode;
        private final boolean namesSource;

        Result(byte[] bytes, int classFileVersion, Set<PollStyle> pollStyles, int[] killPoints, List<String> skippedMethods,
               List<String> staticRedirects, List<String> uncheckedCatchBlocks, Map<String, int[][]> cleanupRegions, Map<String, int[][]> replacedCode,
               boolean namesSource) {
            this.bytes = bytes;
            this.classFileVersion = classFileVersion;
            this.pollStyles = pollStyles;
            this.killPoints = killPoints;
            this.skippedMethods = List.copyOf(skippedMethods);
            this.staticRedirects = List.copyOf(staticRedirects);
            this.uncheckedCatchBlocks = List.copyOf(uncheckedCatchBlocks);
            this.cleanupRegions = cleanupRegions;
            this.replacedCode = replacedCode;
            this.namesSource = namesSource;
        }

        /** The instrumented class file. */
        public byte[] bytes() {
            return bytes;
        }

        /** Major version of the class file, unchanged by instrumentation. */
        public int classFileVersion() {
            return classFileVersion;
        }

        /** How the kill points reach their switch, for messages. */
        public String pollStyle() {
            StringJoiner out = new StringJoiner(" and ");
            for (PollStyle style : pollStyles) {
                out.add(style.description());
            }
            return out.toString();
        }

        public int killPoints(KillPointKind kind) {
            return killPoints[kind.ordinal()];
        }

        /** Kill points by {@link KillPointKind#ordinal()}. */
        public int[] killPoints() {
            return killPoints.clone();
        }

        public int totalKillPoints() {
            int n = 0;
            for (int k : killPoints) {
                n += k;
            }
            return n;
        }

        /**
         * True if some kill points use the switch shared by class files older than Java 7 (which they do only if kill-point
         * numbers ran out).
         */
        public boolean usesSharedSwitch() {
            return pollStyles.contains(PollStyle.STATIC_CALL);
        }

        /** Methods left without kill points because they would exceed the JVM's 64 KB code limit. */
        public List<String> skippedMethods() {
            return skippedMethods;
        }

        /**
         * Methods whose redirected blocking calls are plain static calls, which share one type profile, because as
         * {@code invokedynamic} (2 bytes longer each) the method would exceed the 64 KB code limit.
         */
        public List<String> staticRedirects() {
            return staticRedirects;
        }

        /**
         * Catch blocks (or some of their exits) left without the re-raise check, and why: a kill they
         * catch is swallowed there, as without the agent.
         */
        public List<String> uncheckedCatchBlocks() {
            return uncheckedCatchBlocks;
        }

        /**
         * Where each method's cleanup code is (catch blocks, finally blocks and their copies), by method name and
         * descriptor, as three arrays: {@code [start, end)} pairs of bytecode offsets in the instrumented code,
         * the method's line table as {@code [offset, line]} pairs, and the lines that hold cleanup code only.
         * Methods without cleanup code are absent.
         */
        public Map<String, int[][]> cleanupRegions() {
            return cleanupRegions;
        }

        /**
         * What the code as it was tells a kill below a frame still running it, by method name and descriptor (methods
         * without handlers are absent: see {@code cleanup.ReplacedCode}); null unless asked for.
         */
        public Map<String, int[][]> replacedCode() {
            return replacedCode;
        }

        /** True if the class names its source file. */
        public boolean namesSource() {
            return namesSource;
        }
    }

    /**
     * @throws UnsupportedClassVersionError for a class-file version newer than this agent knows
     * @throws IllegalArgumentException for bytes that are not a class file
     * @throws RuntimeException from ASM for anything else it cannot write
     */
    public Result instrument(byte[] classFile) {
        return instrument(classFile, false);
    }

    /** The kill points that class files get once numbers run out ({@code invokedynamic} from Java 7 on, the shared switch before), for their tests. */
    static KillPointInserter withoutNumbers() {
        return new KillPointInserter(false);
    }

    private final boolean numbered;

    public KillPointInserter() {
        this(true);
    }

    private KillPointInserter(boolean numbered) {
        this.numbered = numbered;
    }

    /**
     * @param readReplaced true at a retransformation of code that was not this agent's: what that code tells a kill below
     *        the frames that keep running it is read in the same pass ({@link Result#replacedCode()})
     */
    public Result instrument(byte[] classFile, boolean readReplaced) {
        if (classFile.length < 10 || (classFile[0] & 0xFF) != 0xCA || (classFile[1] & 0xFF) != 0xFE
                || (classFile[2] & 0xFF) != 0xBA || (classFile[3] & 0xFF) != 0xBE) {
            throw new IllegalArgumentException("not a class file (no 0xCAFEBABE header)");
        }
        int major = ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
        if (major > NEWEST_CLASS_FILE_VERSION) {
            throw new UnsupportedClassVersionError("class-file version " + major + " is newer than this agent supports (up to "
                    + NEWEST_CLASS_FILE_VERSION + ", Java " + (NEWEST_CLASS_FILE_VERSION - 44) + ")");
        }
        ClassReader reader = new ClassReader(classFile);
        boolean[] handlers = MethodsWithHandlers.of(reader);
        int[][] offsets = readReplaced ? CodeOffsets.of(reader) : null;
        PollStyle style = numbered ? PollStyle.NUMBERED : PollStyle.withoutNumbers(major);
        Set<String> skip = new HashSet<>();
        Set<String> staticRedirects = new LinkedHashSet<>();
        List<String> skipped = new ArrayList<>();
        // By method name, kept across passes: a pass that is written again must not take new numbers, never given back.
        Map<String, PollStyle.MethodPoll> polls = new HashMap<>();
        for (;;) {
            int[] counts = new int[KillPointKind.values().length];
            List<String> unchecked = new ArrayList<>();
            Map<String, CleanupRegionMarks> marks = new HashMap<>();
            Map<String, int[][]> replaced = readReplaced ? new HashMap<>() : null;
            ClassWriter writer = new NonLoadingClassWriter(reader);
            KillPointClassVisitor visitor = new KillPointClassVisitor(writer, style, major, polls, skip, staticRedirects, handlers, counts,
                    unchecked, marks, offsets, replaced);
            reader.accept(visitor, 0);
            try {
                byte[] bytes = writer.toByteArray();
                List<String> redirectedStatically = new ArrayList<>(staticRedirects);
                redirectedStatically.removeAll(skipped);
                return new Result(bytes, major, visitor.styles(), counts, skipped, redirectedStatically, unchecked,
                        offsets(marks, unchecked), replaced, visitor.namesSource);
            } catch (MethodTooLargeException e) {
                // First with its redirected calls in the short form (an invokedynamic is 2 bytes longer than a static
                // call); if it is still too large, leave that one method as it was and instrument the rest.
                String method = e.getMethodName() + e.getDescriptor();
                if (major >= Opcodes.V1_7 && staticRedirects.add(method)) {
                    continue;
                }
                if (!skip.add(method)) {
                    throw e;
                }
                skipped.add(method);
            }
        }
    }

    private static Map<String, int[][]> offsets(Map<String, CleanupRegionMarks> marks, List<String> unchecked) {
        if (marks.isEmpty()) {
            return Map.of();
        }
        Map<String, int[][]> out = new HashMap<>();
        for (Map.Entry<String, CleanupRegionMarks> e : marks.entrySet()) {
            CleanupRegionMarks m = e.getValue();
            int[] offsets = m.offsets();
            if (offsets != null) {
                out.put(e.getKey(), new int[][] {offsets, m.lineTable(), m.cleanupOnlyLines()});
            } else {
                unchecked.add(e.getKey() + ": over 32 KB of code, so its catch and finally blocks are not known to the runtime"
                        + " (a kill may land inside them)");
            }
        }
        return out;
    }

    private static final class KillPointClassVisitor extends ClassVisitor {
        private final PollStyle style;
        private final int major;
        private final Set<String> skip;
        private final Set<String> staticRedirects;
        private final boolean[] hasHandlers;
        private final int[] counts;
        private final List<String> unchecked;
        private final Map<String, CleanupRegionMarks> marks;
        private final int[][] offsets;
        private final Map<String, int[][]> replaced;
        private String owner;
        /** By method name: a method's overloads share its switch, as stack frames tell no descriptor. */
        private final Map<String, PollStyle.MethodPoll> polls;
        private final Set<PollStyle> used = EnumSet.noneOf(PollStyle.class);
        private int methodIndex;
        boolean namesSource;

        KillPointClassVisitor(ClassVisitor next, PollStyle style, int major, Map<String, PollStyle.MethodPoll> polls,
                              Set<String> skip, Set<String> staticRedirects, boolean[] hasHandlers, int[] counts,
                              List<String> unchecked, Map<String, CleanupRegionMarks> marks, int[][] offsets,
                              Map<String, int[][]> replaced) {
            super(Opcodes.ASM9, next);
            this.style = style;
            this.major = major;
            this.polls = polls;
            this.skip = skip;
            this.staticRedirects = staticRedirects;
            this.hasHandlers = hasHandlers;
            this.counts = counts;
            this.unchecked = unchecked;
            this.marks = marks;
            this.offsets = offsets;
            this.replaced = replaced;
        }

        /** The forms the kill points took: the chosen one, and its fallback if numbers ran out. */
        Set<PollStyle> styles() {
            return used.isEmpty() ? EnumSet.of(style) : used;
        }

        @Override
        public void visitSource(String source, String debug) {
            namesSource = source != null;
            super.visitSource(source, debug);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            owner = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            boolean handlers = methodIndex < hasHandlers.length && hasHandlers[methodIndex];
            int[] methodOffsets = offsets != null && methodIndex < offsets.length ? offsets[methodIndex] : null;
            methodIndex++;
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (next == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || skip.contains(name + descriptor)) {
                return next;
            }
            PollStyle.MethodPoll poll = polls.computeIfAbsent(name, n -> style.bind(owner, n, major));
            used.add(poll.style()); // in this pass: a method left out of it has none
            MethodVisitor killPoints = new KillPointMethodVisitor(next, poll,
                    !"<clinit>".equals(name), major >= Opcodes.V1_7 && !staticRedirects.contains(name + descriptor), counts);
            if (!handlers) {
                return killPoints;
            }
            // Catch blocks need the whole method to find where they end: buffer it, add the checks, replay.
            return new MethodNode(Opcodes.ASM9, access, name, descriptor, signature, exceptions) {
                @Override
                public void visitEnd() {
                    CatchBlockExits.Outcome outcome = CatchBlockExits.insert(this, owner, methodOffsets);
                    if (outcome.replaced != null) {
                        replaced.put(name + descriptor, outcome.replaced);
                    }
                    counts[KillPointKind.CATCH_EXIT.ordinal()] += outcome.checks;
                    unchecked.addAll(outcome.leftAlone);
                    if (outcome.regions != null) {
                        marks.put(name + descriptor, outcome.regions);
                    }
                    accept(killPoints);
                }
            };
        }
    }

    /** A writer that never needs to compute frames, and so never loads a class to find a common supertype. */
    private static final class NonLoadingClassWriter extends ClassWriter {
        NonLoadingClassWriter(ClassReader reader) {
            super(reader, 0);
        }

        @Override
        protected String getCommonSuperClass(String type1, String type2) {
            throw new IllegalStateException("a stack-map frame would have to be computed (for " + type1 + " and " + type2
                    + "); the class is left unchanged rather than load classes to do it");
        }
    }
}
