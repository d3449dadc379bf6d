package com.acme.agents;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Another agent whose transformer works over the first load of {@code com.acme.slowload.Lazy}, in a loop, until the
 * test releases it (the system property {@code slowload.released}), as a heavy instrumentation takes its time. Whatever a transformer throws, the JVM drops: a kill must not land
 * in here, and the thread that loads the class must still die once the transformer has returned.
 */
public final class SlowLoadingAgent {
    static volatile long steps;

    private SlowLoadingAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        instrumentation.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain domain, byte[] classFile) {
                if (classBeingRedefined == null && "com/acme/slowload/Lazy".equals(className)) {
                    System.out.println("@@ TRANSFORMING\tthread=" + Thread.currentThread().getName());
                    System.out.flush();
                    long end = System.nanoTime() + 60_000_000_000L; // at most a minute, whatever the test does
                    while (!Boolean.getBoolean("slowload.released") && System.nanoTime() < end) {
                        step();
                    }
                    System.out.println("@@ TRANSFORMED\tthread=" + Thread.currentThread().getName());
                    System.out.flush();
                }
                return null;
            }
        });
    }

    static void step() {
        for (int i = 0; i < 1000; i++) {
            steps++;
        }
    }
}
