package dev.killswitch.it.child;

import com.sun.tools.attach.VirtualMachine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX client in its own JVM, as JConsole or jmxterm would be: it has none of the agent's classes and
 * uses only the generic JMX interface (invoke, getAttribute, open types). It reaches the target through
 * the Attach API and the target's local management agent. Commands on standard input:
 * {@code KILL id reason}, {@code KILL_BY_NAME regex reason}, {@code DESCRIBE id}, {@code STATUS id},
 * {@code THREADS}, {@code ATTRIBUTES}, {@code INFO} (the MXBean's own description of itself), {@code EXIT}.
 */
public final class JmxClient {
    private static final String NAME = "dev.killswitch:type=Killswitch";

    private JmxClient() {
    }

    public static void main(String[] args) throws Exception {
        boolean agentClassesVisible;
        try {
            Class.forName("dev.killswitch.control.KillswitchMXBean");
            agentClassesVisible = true;
        } catch (ClassNotFoundException e) {
            agentClassesVisible = false;
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        MBeanServerConnection mbsc = connector.getMBeanServerConnection();
        ObjectName name = new ObjectName(NAME);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!mbsc.isRegistered(name) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Report.line("CONNECTED", Map.of("registered", mbsc.isRegistered(name), "agentClassesVisible", agentClassesVisible));
        new CommandLoop(3)
                .on("KILL", cmd -> answer(() -> mbsc.invoke(name, "kill", new Object[] {Long.parseLong(cmd[1]), cmd[2]},
                        new String[] {"long", "java.lang.String"})))
                .on("ESCALATE", cmd -> answer(() -> mbsc.invoke(name, "escalate", new Object[] {Long.parseLong(cmd[1]), cmd[2]},
                        new String[] {"long", "java.lang.String"})))
                .on("CANCEL", cmd -> answer(() -> mbsc.invoke(name, "cancelKill", new Object[] {Long.parseLong(cmd[1])}, new String[] {"long"})))
                .on("KILL_BY_NAME", cmd -> answer(() -> mbsc.invoke(name, "killByName", new Object[] {cmd[1], cmd[2]},
                        new String[] {"java.lang.String", "java.lang.String"})))
                .on("KILL_BY_NAME_NULL", cmd -> answer(() -> mbsc.invoke(name, "killByName", new Object[] {null, null},
                        new String[] {"java.lang.String", "java.lang.String"})))
                .on("DESCRIBE", cmd -> answer(() -> mbsc.invoke(name, "describeThread", new Object[] {Long.parseLong(cmd[1])}, new String[] {"long"})))
                .on("STATUS", cmd -> answer("STATUS", () -> mbsc.invoke(name, "killStatus", new Object[] {Long.parseLong(cmd[1])},
                        new String[] {"long"})))
                .on("THREADS", cmd -> {
                    CompositeData[] rows = (CompositeData[]) mbsc.invoke(name, "threads", new Object[0], new String[0]);
                    for (CompositeData row : rows) {
                        Report.line("THREAD", Map.of("id", row.get("id"), "name", row.get("name"), "state", row.get("state"),
                                "inSelectedCode", row.get("inSelectedCode"), "where", row.get("where")));
                    }
                    Report.line("THREADS", Map.of("count", rows.length));
                })
                .on("ATTRIBUTES", cmd -> {
                    Map<String, Object> attributes = new LinkedHashMap<>();
                    for (MBeanAttributeInfo info : mbsc.getMBeanInfo(name).getAttributes()) {
                        Object value = mbsc.getAttribute(name, info.getName());
                        attributes.put(info.getName(), value instanceof String[] ? String.join(",", (String[]) value) : value);
                    }
                    Report.line("ATTRIBUTES", attributes);
                })
                .on("INFO", cmd -> { // what a console shows: each operation's signature and description, each attribute's
                    MBeanInfo info = mbsc.getMBeanInfo(name);
                    Map<String, Object> fields = new TreeMap<>();
                    fields.put("description", info.getDescription());
                    int undescribed = 0;
                    for (MBeanOperationInfo op : info.getOperations()) {
                        StringBuilder signature = new StringBuilder(op.getName()).append('(');
                        for (MBeanParameterInfo p : op.getSignature()) {
                            signature.append(p.getType()).append(' ').append(p.getName())
                                    .append(p.getDescription().equals(p.getName()) ? " (undescribed)" : "").append(", ");
                        }
                        fields.put("op." + op.getName(), signature.toString().replaceAll(", $", "") + ")");
                        undescribed += op.getDescription().equals(op.getName()) ? 1 : 0;
                    }
                    for (MBeanAttributeInfo a : info.getAttributes()) {
                        undescribed += a.getDescription().equals(a.getName()) ? 1 : 0;
                    }
                    fields.put("undescribed", undescribed);
                    fields.put("killDescription", java.util.Arrays.stream(info.getOperations()).filter(o -> o.getName().equals("kill"))
                            .findFirst().map(MBeanOperationInfo::getDescription).orElse(""));
                    Report.line("INFO", fields);
                })
                .on("EXIT", cmd -> {
                    connector.close();
                    vm.detach();
                    System.exit(0);
                })
                .run();
    }

    /**
     * Reports what an operation answered: a kill's fields (its sentence as {@code text}), the kills of a name (their
     * sentences, a line each, and their statuses), a sentence; or the exception a JMX client sees, unwrapped from
     * JMX's own wrappers, with its message as {@code text} and its class as {@code error}.
     */
    private static void answer(java.util.concurrent.Callable<Object> operation) {
        answer("ANSWER", operation);
    }

    private static void answer(String event, java.util.concurrent.Callable<Object> operation) {
        Map<String, Object> fields = new TreeMap<>();
        try {
            Object result = operation.call();
            if (result instanceof CompositeData) {
                CompositeData kill = (CompositeData) result;
                for (String key : kill.getCompositeType().keySet()) {
                    fields.put(key, kill.get(key));
                }
                fields.put("text", kill.get("description"));
            } else if (result instanceof CompositeData[]) {
                CompositeData[] kills = (CompositeData[]) result;
                StringBuilder text = new StringBuilder();
                StringBuilder statuses = new StringBuilder();
                for (CompositeData kill : kills) {
                    text.append(text.length() == 0 ? "" : "\n").append(kill.get("description"));
                    statuses.append(statuses.length() == 0 ? "" : ",").append(kill.get("status"));
                }
                fields.put("count", kills.length);
                fields.put("statuses", statuses.toString());
                fields.put("text", text.toString());
            } else {
                fields.put("text", String.valueOf(result));
            }
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && (cause instanceof javax.management.JMException || cause instanceof javax.management.JMRuntimeException)) {
                cause = cause.getCause();
            }
            fields.put("text", String.valueOf(cause.getMessage()));
            fields.put("error", cause.getClass().getName());
        }
        Report.line(event, fields);
    }
}
