package dev.killswitch.runtime.registry;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field whose value, once set, never changes (an array field: each element, once set): the JIT may fold it to a
 * constant. When the agent defines the runtime in the boot loader it writes the JDK's own {@code @Stable} in its
 * place, which the JVM honours in boot-loader classes only; this is how a numbered kill point compiles to nothing
 * in C2 ({@link SwitchNumbers}). Anywhere else (the runtime on a class path, in tests) it means nothing, and the
 * code only runs slower.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface JitConstant {
}
