package dev.killswitch.runtime.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which switches a kill arms for a class: its own methods, and, for callbacks, those of its nested classes. */
class SwitchRegistryTest {
    static final class Outer {
        static final class Inner {
        }
    }

    static final class OuterTwin {
    }

    @Test
    void aClassAndItsNestedClassesButNotAClassWhoseNameMerelyStartsTheSame() {
        MethodSwitch own = SwitchRegistry.forMethod(Outer.class, "run");
        MethodSwitch lambda = SwitchRegistry.forMethod(Outer.class, "lambda$run$0");
        MethodSwitch nested = SwitchRegistry.forMethod(Outer.Inner.class, "accept");
        MethodSwitch twin = SwitchRegistry.forMethod(OuterTwin.class, "run");

        List<MethodSwitch> classOnly = SwitchRegistry.forClass(Outer.class.getName(), false);
        assertTrue(classOnly.containsAll(List.of(own, lambda)), classOnly.toString());
        assertFalse(classOnly.contains(nested), classOnly.toString());

        List<MethodSwitch> withNested = SwitchRegistry.forClass(Outer.class.getName(), true);
        assertEquals(3, withNested.size(), withNested.toString());
        assertTrue(withNested.containsAll(List.of(own, lambda, nested)), withNested.toString());
        assertFalse(withNested.contains(twin), withNested.toString());
    }

    @Test
    void severalClassesInOnePass() {
        MethodSwitch own = SwitchRegistry.forMethod(Outer.class, "run");
        MethodSwitch nested = SwitchRegistry.forMethod(Outer.Inner.class, "accept");
        MethodSwitch twin = SwitchRegistry.forMethod(OuterTwin.class, "run");
        List<MethodSwitch> found = SwitchRegistry.forClasses(Set.of(Outer.Inner.class.getName(), OuterTwin.class.getName()));
        assertTrue(found.containsAll(List.of(nested, twin)), found.toString());
        assertFalse(found.contains(own), found.toString());
        assertTrue(SwitchRegistry.forClasses(Set.of()).isEmpty());
    }
}
