package dev.killswitch.agent;

import dev.killswitch.runtime.RuntimePackages;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The boot loader cannot find a class that is not defined yet: every supertype comes first. */
    @Test
    void theRuntimeIsDefinedSupertypesFirst() throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String name : List.of("dev/killswitch/runtime/delivery/KillRequest", "dev/killswitch/runtime/delivery/RefusedKill",
                "dev/killswitch/ThreadKilledError", "dev/killswitch/KillHandle")) {
            try (InputStream in = AgentPartsTest.class.getResourceAsStream("/" + name + ".class")) {
                classes.put(name, in.readAllBytes());
            }
        }
        List<String> order = new ArrayList<>(BootInjector.supertypesFirst(classes).keySet());
        assertEquals(4, order.size(), order.toString());
        assertTrue(order.indexOf("dev/killswitch/KillHandle") < order.indexOf("dev/killswitch/runtime/delivery/KillRequest"), order.toString());
        assertTrue(order.indexOf("dev/killswitch/KillHandle") < order.indexOf("dev/killswitch/runtime/delivery/RefusedKill"), order.toString());
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
