package com.acme.agents;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Another agent, loaded after killswitch, that spoils every retransformation of the classes in {@code com.acme.rejecting}:
 * the JVM refuses it, and the class runs on as it was.
 */
public final class RejectingAgent {
    private RejectingAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        instrumentation.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain domain, byte[] classFile) {
                boolean mine = className != null && className.startsWith("com/acme/rejecting/");
                return mine && classBeingRedefined != null ? new byte[] {(byte) 0xCA, (byte) 0xFE} : null;
            }
        }, true);
    }
}
