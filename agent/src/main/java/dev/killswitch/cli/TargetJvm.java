package dev.killswitch.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.killswitch.control.KillswitchControl;
import dev.killswitch.control.KillswitchMXBean;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JVM on this machine, reached with the JDK's Attach API. Commands talk to the agent through the
 * target's local management agent (a JMX connector that only local processes of the same user can
 * use), so nothing listens on a network port; only {@code attach} loads an agent.
 */
final class TargetJvm implements AutoCloseable {
    /** The agent registers its MXBean within a second of the platform MBean server appearing. */
    private static final long MXBEAN_WAIT_MILLIS = 2500;

    private final String pid;
    private final VirtualMachine vm;
    private JMXConnector connector;

    private TargetJvm(String pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /** Callers check first that the Attach API exists: loading this class needs it. */
    static TargetJvm attach(String pid) throws CliException {
        if (!pid.matches("\\d+")) {
            throw new CliException(ExitCodes.USAGE, "not a process id: \"" + pid + "\" (jps lists the JVMs you can reach)");
        }
        long id = Long.parseLong(pid);
        if (id == ProcessHandle.current().pid()) {
            throw new CliException(ExitCodes.USAGE, "process " + pid + " is this tool itself");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(id);
        if (process.isEmpty()) {
            throw new CliException(ExitCodes.UNREACHABLE, "no process with id " + pid + " (jps lists the JVMs you can reach)");
        }
        if (isSurelyNotAJvm(id)) {
            throw new CliException(ExitCodes.UNREACHABLE, "process " + pid + " (" + process.get().info().command().orElse("?")
                    + ") is not a JVM (jps lists the JVMs you can reach)");
        }
        try {
            return new TargetJvm(pid, VirtualMachine.attach(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, unreachable(process.get(), e));
        }
    }

    /**
     * Where the process's memory map is readable (Linux, same user), a JVM has libjvm mapped. Asking a
     * process that is no JVM would otherwise take the Attach API ten seconds to give up.
     */
    private static boolean isSurelyNotAJvm(long pid) {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        try (Stream<String> lines = Files.lines(maps, StandardCharsets.ISO_8859_1)) {
            return lines.noneMatch(l -> l.contains("libjvm"));
        } catch (IOException | RuntimeException e) {
            return false; // no /proc, or not ours to read: let the Attach API decide
        }
    }

    private static String unreachable(ProcessHandle process, Exception e) {
        String message = String.valueOf(e.getMessage());
        if (!process.isAlive()) {
            return "process " + process.pid() + " has ended";
        }
        String owner = process.info().user().orElse(null);
        String me = System.getProperty("user.name");
        if (owner != null && !owner.equals(me) && !owner.endsWith("\\" + me)) {
            return "JVM " + process.pid() + " runs as user " + owner + ", this tool as " + me
                    + ": run the tool as that user (for example sudo -u " + owner + " java -jar killswitch-agent.jar ...); " + message;
        }
        return "cannot attach to process " + process.pid() + ": it is not a JVM, or it does not accept attach requests"
                + " (for example -XX:+DisableAttachMechanism): " + message;
    }

    /** The agent's MXBean in the target; waits briefly for the agent to register it. */
    KillswitchMXBean control() throws CliException {
        MBeanServerConnection mbsc = jmx();
        ObjectName name = objectName();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MXBEAN_WAIT_MILLIS);
        try {
            while (!mbsc.isRegistered(name)) {
                if (System.nanoTime() > deadline) {
                    throw new CliException(ExitCodes.NO_AGENT, "the killswitch agent is not running in JVM " + pid
                            + " (no MBean " + name + "): start it with -javaagent:killswitch-agent.jar=include=...,"
                            + " or load it now with: java -jar killswitch-agent.jar attach " + pid + " include=...");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "lost the connection to JVM " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "interrupted");
        }
        return JMX.newMXBeanProxy(mbsc, name, KillswitchMXBean.class);
    }

    /** True if the agent's MXBean is registered, or appears within the wait. */
    boolean hasAgent() throws CliException {
        try {
            control();
            return true;
        } catch (CliException e) {
            if (e.exitCode == ExitCodes.NO_AGENT) {
                return false;
            }
            throw e;
        }
    }

    Properties systemProperties() throws CliException {
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "lost the connection to JVM " + pid + ": " + e.getMessage(), e);
        }
    }

    void loadAgent(String agentJar, String agentArgs) throws CliException {
        try {
            vm.loadAgent(agentJar, agentArgs);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "JVM " + pid + " did not load the agent: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "JVM " + pid + " did not load the agent: " + e.getMessage()
                    + " (on JDK 21+ a JVM may refuse agents loaded at run time: -XX:-EnableDynamicAgentLoading)", e);
        }
    }

    int javaFeatureVersion() {
        try {
            String v = vm.getSystemProperties().getProperty("java.specification.version", "0");
            return Integer.parseInt(v.startsWith("1.") ? v.substring(2) : v);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private MBeanServerConnection jmx() throws CliException {
        try {
            if (connector == null) {
                String address = vm.startLocalManagementAgent();
                connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            }
            return connector.getMBeanServerConnection();
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach the management agent of JVM " + pid + ": " + e.getMessage(), e);
        }
    }

    private static ObjectName objectName() {
        try {
            return new ObjectName(KillswitchControl.OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (connector != null) {
                connector.close();
            }
        } catch (IOException ignored) {
            // the target may be gone
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the target may be gone
        }
    }
}
