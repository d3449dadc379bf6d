package dev.killswitch.it.child;

import com.sun.tools.attach.VirtualMachine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanAttributeInfo;
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
 * {@code THREADS}, {@code ATTRIBUTES}, {@code EXIT}.
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
                .on("KILL", cmd -> answer(mbsc.invoke(name, "kill", new Object[] {Long.parseLong(cmd[1]), cmd[2]},
                        new String[] {"long", "java.lang.String"})))
                .on("ESCALATE", cmd -> answer(mbsc.invoke(name, "escalate", new Object[] {Long.parseLong(cmd[1]), cmd[2]},
                        new String[] {"long", "java.lang.String"})))
                .on("CANCEL", cmd -> answer(mbsc.invoke(name, "cancelKill", new Object[] {Long.parseLong(cmd[1])}, new String[] {"long"})))
                .on("KILL_BY_NAME", cmd -> answer(mbsc.invoke(name, "killByName", new Object[] {cmd[1], cmd[2]},
                        new String[] {"java.lang.String", "java.lang.String"})))
                .on("DESCRIBE", cmd -> answer(mbsc.invoke(name, "describeThread", new Object[] {Long.parseLong(cmd[1])}, new String[] {"long"})))
                .on("STATUS", cmd -> {
                    CompositeData status = (CompositeData) mbsc.invoke(name, "killStatus", new Object[] {Long.parseLong(cmd[1])},
                            new String[] {"long"});
                    Map<String, Object> fields = new TreeMap<>();
                    for (String key : status.getCompositeType().keySet()) {
                        fields.put(key, status.get(key));
                    }
                    Report.line("STATUS", fields);
                })
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
                .on("EXIT", cmd -> {
                    connector.close();
                    vm.detach();
                    System.exit(0);
                })
                .run();
    }

    private static void answer(Object text) {
        Report.line("ANSWER", Map.of("text", String.valueOf(text)));
    }
}
