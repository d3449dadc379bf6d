package dev.killswitch.agent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentPartsTest {

    @Test
    void theAgentLoaderKeepsOnlyTheApiAndTheRuntimeShared() {
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.Killswitch"));
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.delivery.KillPoint"));
        assertTrue(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.instrument.KillPointTransformer"));
        assertTrue(KillswitchAgent.AgentClassLoader.isInternal("dev.killswitch.shaded.asm.ClassReader"));
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("java.lang.String"));
        assertFalse(KillswitchAgent.AgentClassLoader.isInternal("com.acme.Job"));
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
