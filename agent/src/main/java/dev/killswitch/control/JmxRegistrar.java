package dev.killswitch.control;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Registers the MXBean once the platform MBean server exists, and never creates it: creating it early
 * would set up JMX (and java.util.logging) before an application that configures its own, say with a
 * custom MBeanServerBuilder or LogManager. Someone creates it sooner or later: the application, a
 * {@code -Dcom.sun.management.jmxremote} flag, or JConsole or VisualVM attaching (the killswitch
 * command-line tool needs no JMX). A daemon thread looks for it once a second until then.
 */
public final class JmxRegistrar {
    private static final long POLL_MILLIS = 1000;

    private JmxRegistrar() {
    }

    public static void registerWhenAvailable(KillswitchControl control, PrintStream out, boolean debug) {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    for (;;) {
                        if (tryRegister(control, out, debug)) {
                            return;
                        }
                        TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "killswitch-jmx");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static boolean tryRegister(KillswitchControl control, PrintStream out, boolean debug) {
        try {
            ObjectName runtime = new ObjectName("java.lang:type=Runtime");
            for (MBeanServer server : MBeanServerFactory.findMBeanServer(null)) {
                if (server.isRegistered(runtime)) {
                    // It exists already: asking for it creates nothing.
                    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
                    ObjectName name = new ObjectName(KillswitchControl.OBJECT_NAME);
                    if (!platform.isRegistered(name)) {
                        platform.registerMBean(new DescribedMXBean(control), name);
                        if (debug) {
                            out.println("killswitch: registered the MXBean " + name);
                        }
                    }
                    return true;
                }
            }
            return false;
        } catch (Exception | LinkageError e) {
            out.println("killswitch: could not register the MXBean " + KillswitchControl.OBJECT_NAME + ": " + e);
            return true;
        }
    }
}
