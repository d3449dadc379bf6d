package com.acme.agents;

import java.lang.instrument.Instrumentation;

/**
 * Another agent that retransforms {@code com.acme.ondemand.Work} again and again, as profilers and debuggers do,
 * without changing it: each time, killswitch's transformer runs again on a class it may have instrumented already.
 */
public final class RetransformingAgent {
    private RetransformingAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        Thread t = new Thread(() -> {
            for (;;) {
                try {
                    Thread.sleep(200);
                    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
                        if (c.getName().equals("com.acme.ondemand.Work")) {
                            instrumentation.retransformClasses(c);
                            System.out.println("@@ RETRANSFORMED\tclass=" + c.getName());
                            System.out.flush();
                        }
                    }
                } catch (Exception e) {
                    System.out.println("@@ RETRANSFORM-FAILED\treason=" + e);
                    System.out.flush();
                }
            }
        }, "retransformer");
        t.setDaemon(true);
        t.start();
    }
}
