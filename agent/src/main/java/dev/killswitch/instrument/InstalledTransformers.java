package dev.killswitch.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The transformers one start of the agent has registered, so that a start that fails half-way can take them all
 * back: the agent starts whole or not at all.
 */
public final class InstalledTransformers {
    private final Instrumentation instrumentation;
    private final List<ClassFileTransformer> added = new ArrayList<>();

    public InstalledTransformers(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /** Registers {@code transformer}, able to retransform. */
    public void add(ClassFileTransformer transformer) {
        instrumentation.addTransformer(transformer, true);
        added.add(transformer);
    }

    public Instrumentation instrumentation() {
        return instrumentation;
    }

    /** Takes back every transformer registered here. Classes they changed keep their code, with idle kill points. */
    public void removeAll() {
        for (ClassFileTransformer t : added) {
            instrumentation.removeTransformer(t);
        }
        added.clear();
    }
}
