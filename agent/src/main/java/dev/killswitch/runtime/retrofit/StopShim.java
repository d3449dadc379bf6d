package dev.killswitch.runtime.retrofit;

import dev.killswitch.KillHandle;
import dev.killswitch.ThreadKilledError;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.delivery.KillStats;
import dev.killswitch.runtime.delivery.Landing;
import dev.killswitch.runtime.delivery.SystemThreads;
import dev.killswitch.runtime.delivery.ThreadLabels;
import dev.killswitch.runtime.delivery.Unwinding;
import dev.killswitch.runtime.diagnosis.Diagnosis;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@code stop-shim=true}: what calls of {@code Thread.stop()}, {@code Thread.stop(Throwable)} and
 * {@code ThreadGroup.stop()} become. Another thread is killed like {@code Killswitch.kill}: the call
 * returns at once and the thread dies at its next kill point, as safely as any kill. The calling thread
 * itself throws {@link ThreadKilledError} at once, as it used to throw {@code ThreadDeath}. The names and
 * descriptors here are referenced from rewritten bytecode; change them together with
 * {@code dev.killswitch.instrument.retrofit.StopShimMethodVisitor}.
 */
public final class StopShim {
    private StopShim() {
    }

    /** Replaces {@code thread.stop()}. */
    public static void stop(Thread thread) {
        stopThread(thread, "Thread.stop()");
    }

    /** Replaces {@code thread.stop(throwable)}: the thread dies of ThreadKilledError; the throwable is named in the reason only. */
    public static void stop(Thread thread, Throwable throwable) {
        if (throwable == null) {
            throw new NullPointerException();
        }
        stopThread(thread, "Thread.stop(" + throwable + ")");
    }

    /** Replaces {@code group.stop()}: kills every thread of the group and its subgroups, the caller last. */
    public static void stop(ThreadGroup group) {
        String reason = "ThreadGroup.stop() of group \"" + group.getName() + "\" called by " + caller();
        Thread me = Thread.currentThread();
        Thread[] threads = new Thread[group.activeCount() * 2 + 16];
        int n = group.enumerate(threads, true);
        boolean self = false;
        int killed = 0;
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t == me) {
                self = true;
            } else if (SystemThreads.whyUntouchable(t) == null) { // the JVM's and the agent's: left alone
                KillRuntime.kill(t, reason);
                killed++;
            }
        }
        System.err.println("killswitch: " + reason + ": killing " + killed + " thread(s)" + (self ? " and then the caller" : "")
                + " (stop-shim=true)");
        if (self) {
            throw killHere(reason);
        }
    }

    /** For class files without invokedynamic: may {@code stop()} on this receiver of a non-JDK type be Thread's or ThreadGroup's? */
    public static boolean isStoppable(Object receiver) {
        return receiver instanceof Thread || receiver instanceof ThreadGroup;
    }

    /** After {@link #isStoppable}: {@code stop()} on a Thread or ThreadGroup of a subclass type. */
    public static void stopObject(Object receiver) {
        if (receiver instanceof Thread) {
            stop((Thread) receiver);
        } else {
            stop((ThreadGroup) receiver);
        }
    }

    /** After {@link #isStoppable}: {@code stop(Throwable)} on a Thread of a subclass type. */
    public static void stopObject(Object receiver, Throwable throwable) {
        stop((Thread) receiver, throwable);
    }

    /**
     * Bootstrap of the {@code invokedynamic} that replaces {@code stop()} or {@code stop(Throwable)} called
     * through a non-JDK type: only when linked, with classes loaded, can it tell a subclass of Thread
     * (whose {@code stop} is final, so it is Thread's) from a class with a {@code stop} of its own, which is
     * then called exactly as the original instruction would have.
     */
    public static CallSite link(MethodHandles.Lookup caller, String name, MethodType type) {
        Class<?> owner = type.parameterType(0);
        try {
            Class<?> shimmed = Thread.class.isAssignableFrom(owner) ? Thread.class
                    : ThreadGroup.class.isAssignableFrom(owner) && type.parameterCount() == 1 ? ThreadGroup.class : null;
            if (shimmed != null) {
                MethodHandle shim = MethodHandles.lookup().findStatic(StopShim.class, "stop", type.changeParameterType(0, shimmed));
                return new ConstantCallSite(shim.asType(type));
            }
            return new ConstantCallSite(caller.findVirtual(owner, name, type.dropParameterTypes(0, 1)).asType(type));
        } catch (NoSuchMethodException e) {
            return failing(new NoSuchMethodError(owner.getName() + "." + name + type.dropParameterTypes(0, 1)), type);
        } catch (IllegalAccessException e) {
            return failing(new IllegalAccessError(e.getMessage()), type);
        }
    }

    /** A call site that throws what the original instruction would have thrown on resolution, at every call. */
    private static CallSite failing(Error error, MethodType type) {
        MethodHandle thrower = MethodHandles.throwException(type.returnType(), Error.class).bindTo(error);
        return new ConstantCallSite(MethodHandles.dropArguments(thrower, 0, type.parameterList()));
    }

    private static void stopThread(Thread thread, String call) {
        if (thread == null) {
            throw new NullPointerException();
        }
        String by = caller();
        String reason = call + " called by " + by;
        if (thread == Thread.currentThread()) {
            throw killHere(reason);
        }
        KillHandle handle = KillRuntime.kill(thread, reason);
        System.err.println("killswitch: " + call + " of " + ThreadLabels.label(thread) + " called by " + by + ": "
                + (handle.status().isRefused() ? handle.describe() : "killing it") + " (stop-shim=true)");
    }

    /** The caller stopping itself dies here and now, as with ThreadDeath; counted as a kill requested and delivered. */
    private static ThreadKilledError killHere(String reason) {
        ThreadKilledError error = new ThreadKilledError(reason);
        error.setStackTrace(Landing.withoutRuntimeFrames(error.getStackTrace()));
        KillStats.REQUESTED.increment();
        KillStats.delivered(0);
        Unwinding.delivered(Thread.currentThread(), error, null); // like any kill, catch blocks in selected code give it back
        return error;
    }

    /** {@code thread 1 "main" at com.acme.Admin.stopAll(Admin.java:12)}. A stop call is rare: a stack trace is cheap enough. */
    private static String caller() {
        StackTraceElement[] frames = Landing.withoutRuntimeFrames(new Throwable().getStackTrace());
        return ThreadLabels.label(Thread.currentThread()) + (frames.length == 0 ? "" : " at " + Diagnosis.frame(frames[0]));
    }

}
