package dev.killswitch.runtime.blocking;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Links a redirected blocking call, an {@code invokedynamic} in class files of Java 7 and later, to the runtime method
 * it stands for, for good. Why not a plain static call: the runtime method makes the original call from one place,
 * whose type profile every redirected call site of the JVM would share; with a few queue or lock classes in use, C2
 * then compiles that call as a virtual call everywhere. The JVM profiles the arguments of each {@code invokedynamic}
 * on its own, and C2 carries the receiver's class seen at that call site into the inlined runtime method, where it
 * inlines the original call for that class.
 *
 * <p>Each runtime class's {@code link} is the bootstrap of its redirects: the call site's name and type are the
 * method's, so no static arguments (the JVM's fast linking path). Errors are not caught: a {@code StackOverflowError}
 * while linking leaves the call site unlinked, to be linked at its next run, where a call site returned in its place
 * would stay linked to it for good.
 */
final class RedirectLinks {
    // No static state: a class with no initialiser cannot be left broken by a victim near its stack limit that links first.

    private RedirectLinks() {
    }

    static CallSite site(Class<?> owner, String name, MethodType type) throws ReflectiveOperationException {
        return new ConstantCallSite(MethodHandles.lookup().findStatic(owner, name, type));
    }
}
