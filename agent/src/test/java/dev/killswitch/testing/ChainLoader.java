package dev.killswitch.testing;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.util.List;
import java.util.Map;

/**
 * Defines classes from bytes, child first, after passing each through several real transformers in
 * order, as the JVM does with transformers registered one after the other. The runtime comes from the
 * parent (the test class path).
 */
public class ChainLoader extends ClassLoader {
    private final Map<String, byte[]> classes;
    private final List<ClassFileTransformer> transformers;

    public ChainLoader(Map<String, byte[]> classes, ClassFileTransformer... transformers) {
        this("test-chain", classes, List.of(transformers));
    }

    protected ChainLoader(String name, Map<String, byte[]> classes, List<ClassFileTransformer> transformers) {
        super(name, ChainLoader.class.getClassLoader());
        this.classes = classes;
        this.transformers = transformers;
    }

    /** The bytes of {@code name} after every transformer, as they would be defined. */
    public byte[] transformed(String name) {
        byte[] bytes = classes.get(name);
        for (ClassFileTransformer t : transformers) {
            try {
                byte[] changed = t.transform(null, this, name.replace('.', '/'), null, null, bytes);
                if (changed != null) {
                    bytes = changed;
                }
            } catch (IllegalClassFormatException e) {
                throw new IllegalStateException(e);
            }
        }
        return bytes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && classes.containsKey(name)) {
                byte[] bytes = transformed(name);
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (c == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
