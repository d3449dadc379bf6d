package dev.killswitch.control;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds live threads by id or name. Platform threads come from the thread groups. Virtual threads are
 * in no thread group: on JDK 21+ they are found, as jcmd's thread dumps find them, in the JDK's
 * thread containers, which the agent's module is allowed to read at the first look-up. Where that is
 * not possible, only platform threads are found, and {@link #virtualThreadsVisible()} says so.
 */
final class ThreadFinder {
    private final Instrumentation instrumentation;
    private volatile boolean looked;
    private volatile Method root;
    private volatile Method threads;
    private volatile Method children;

    ThreadFinder(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /** Every live thread the finder can see. */
    List<Thread> all() {
        Set<Thread> found = new LinkedHashSet<>();
        ThreadGroup top = Thread.currentThread().getThreadGroup();
        while (top.getParent() != null) {
            top = top.getParent();
        }
        Thread[] group = new Thread[top.activeCount() * 2 + 16];
        int n = top.enumerate(group, true);
        for (int i = 0; i < n; i++) {
            found.add(group[i]);
        }
        if (virtualThreadsVisible()) {
            try {
                addContainerThreads(root.invoke(null), found, 0);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a JDK without the containers we expect: platform threads only
            }
        }
        return new ArrayList<>(found);
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    Thread byId(long id) {
        for (Thread t : all()) {
            if (t.getId() == id) {
                return t;
            }
        }
        return null;
    }

    /** True if virtual threads can be found (JDK 21+ with the JDK's thread containers readable). */
    boolean virtualThreadsVisible() {
        if (!looked) {
            lookUpContainers();
        }
        return root != null;
    }

    private synchronized void lookUpContainers() {
        if (looked) {
            return;
        }
        looked = true;
        if (Runtime.version().feature() < 21 || instrumentation == null) {
            return;
        }
        try {
            Module base = Object.class.getModule();
            instrumentation.redefineModule(base, Set.of(), Map.of("jdk.internal.vm", Set.of(ThreadFinder.class.getModule())),
                    Map.of(), Set.of(), Map.of());
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            threads = container.getMethod("threads");
            children = container.getMethod("children");
            root = containers.getMethod("root");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            root = null;
        }
    }

    private void addContainerThreads(Object container, Set<Thread> found, int depth) throws ReflectiveOperationException {
        if (depth > 64) {
            return;
        }
        try (Stream<?> s = (Stream<?>) threads.invoke(container)) {
            for (Iterator<?> it = s.iterator(); it.hasNext(); ) {
                found.add((Thread) it.next());
            }
        }
        try (Stream<?> s = (Stream<?>) children.invoke(container)) {
            for (Iterator<?> it = s.iterator(); it.hasNext(); ) {
                addContainerThreads(it.next(), found, depth + 1);
            }
        }
    }

    static boolean isVirtual(Thread t) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException e) {
            return false; // before JDK 21 there are none
        }
    }
}
