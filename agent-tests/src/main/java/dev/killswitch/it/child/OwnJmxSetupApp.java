package dev.killswitch.it.child;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.LogManager;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.management.ObjectName;

/**
 * An application that sets up java.util.logging and JMX its own way, late, as application servers do:
 * a LogManager class and an MBeanServerBuilder chosen by system properties a few seconds after start.
 * The agent, running since start, must not have created either before that, and must still register
 * its MXBean, in the server the application built.
 */
public final class OwnJmxSetupApp {
    private OwnJmxSetupApp() {
    }

    public static void main(String[] args) throws Exception {
        // The application's own start-up work, long enough for the agent to have looked for JMX a few times.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2500));
        System.setProperty("java.util.logging.manager", AppLogManager.class.getName());
        System.setProperty("javax.management.builder.initial", AppMBeanServerBuilder.class.getName());
        String logManager = LogManager.getLogManager().getClass().getName();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName killswitch = new ObjectName("dev.killswitch:type=Killswitch");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.isRegistered(killswitch) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("logManager", logManager);
        fields.put("builtByApp", AppMBeanServerBuilder.built);
        fields.put("killswitchRegistered", server.isRegistered(killswitch));
        Report.line("SETUP", fields);
    }

    /** The application's LogManager, as JBoss LogManager or Log4j's JUL bridge would be. */
    public static final class AppLogManager extends LogManager {
    }

    /** The application's MBeanServerBuilder. */
    public static final class AppMBeanServerBuilder extends MBeanServerBuilder {
        static volatile boolean built;

        @Override
        public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
            built = true;
            return super.newMBeanServer(defaultDomain, outer, delegate);
        }
    }
}
