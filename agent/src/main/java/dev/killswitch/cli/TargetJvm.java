package dev.killswitch.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.util.Properties;

/**
 * A JVM on this machine, reached with the JDK's Attach API, as {@code jcmd} reaches it: to read its system
 * properties and, for {@code attach}, to load the agent. It starts no management agent: the commands themselves
 * go through {@link CommandChannel}.
 */
final class TargetJvm implements AutoCloseable {
    private final long pid;
    private final VirtualMachine vm;

    private TargetJvm(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /** Callers check first that the Attach API exists: loading this class needs it. */
    static TargetJvm attach(ProcessHandle process) throws CliException {
        try {
            return new TargetJvm(process.pid(), VirtualMachine.attach(Long.toString(process.pid())));
        } catch (AttachNotSupportedException | IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, TargetProcess.unreachable(process, e));
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

    @Override
    public void close() {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the target may be gone
        }
    }
}
