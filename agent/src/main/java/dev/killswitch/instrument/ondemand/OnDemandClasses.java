package dev.killswitch.instrument.ondemand;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes kills asked to instrument, by internal name. Once asked for, a class keeps its kill points
 * whenever it is transformed again (by another agent's retransformation, or in another class loader).
 */
public final class OnDemandClasses {
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /** @param internalName as {@code org/acme/lib/Rows} */
    public boolean wants(String internalName) {
        return !names.isEmpty() && names.contains(internalName);
    }

    void add(String internalName) {
        names.add(internalName);
    }

    /** The JVM would not take the class's new code: it is not asked for any more. */
    void remove(String internalName) {
        names.remove(internalName);
    }
}
