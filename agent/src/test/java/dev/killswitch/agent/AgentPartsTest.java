package dev.killswitch.agent;

import dev.killswitch.runtime.RuntimePackages;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentPartsTest {

    @Test
    void theAgentLoaderKeepsOnlyTheApiAndTheRuntimeShared() {
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.Killswitch", RuntimePackages.ROOT));
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.runtime.killpoints.KillPoint", RuntimePackages.ROOT));
        assertTrue(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.instrument.killpoints.KillPointTransformer", RuntimePackages.ROOT));
        assertTrue(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.shaded.asm.ClassReader", RuntimePackages.ROOT));
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.runtime.RuntimePackages", RuntimePackages.ROOT));
        assertTrue(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.runtimes.Other", RuntimePackages.ROOT));
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("java.lang.String", RuntimePackages.ROOT));
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("com.acme.Job", RuntimePackages.ROOT));
    }

    /** The class that calls Unsafe.defineClass is written out by hand: the JVM's own verifier must accept it. */
    @Test
    void theHandWrittenDefinerIsAValidClassFile() throws IOException {
        byte[] bytes = BootInjector.definerClassFile();
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), false, new PrintWriter(problems));
        assertEquals("", problems.toString());
        ClassReader reader = new ClassReader(bytes);
        assertEquals("dev/killswitch/agent/BootDefiner", reader.getClassName());
        assertEquals(List.of("java/util/function/BiConsumer"), List.of(reader.getInterfaces()));
    }

    @Test
    void noGcHintWhenCountedLoopsKeepTheirSafepoints() {
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(b -> b.getName().startsWith("G1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GcHint.check(new PrintStream(out, true, StandardCharsets.UTF_8));
        if (g1) {
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
    }
}
