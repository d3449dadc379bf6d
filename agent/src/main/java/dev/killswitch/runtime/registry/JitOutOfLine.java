package dev.killswitch.runtime.registry;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A slow path the JIT must not inline into its caller. The numbered kill points' lookup links a method's switch the
 * first time it runs; compiled on its own while much code is still loading, the lookup would take that linking in
 * and grow past the size above which C2 inlines no compiled method ({@code InlineSmallCode}), and every kill point
 * C2 compiled after that would be a call instead of nothing. When the agent defines the runtime in the boot loader
 * it writes the JDK's own {@code @DontInline} in its place, which the JVM honours in boot-loader classes only (as
 * {@link JitConstant}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface JitOutOfLine {
}
