package dev.killswitch.control;

import java.lang.reflect.Method;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;

/**
 * The MXBean as JMX clients see it, with the names and descriptions of {@link Described}: JConsole's operation
 * table and Jolokia's {@code list} show {@code kill(threadId, reason)} and what each does, not
 * {@code kill(p0, p1)} with its own name as its description.
 */
final class DescribedMXBean extends StandardMBean {
    private static final String DESCRIPTION = "Kills threads that run selected code, and says how each kill went:"
            + " the killswitch agent in this JVM";

    DescribedMXBean(KillswitchMXBean control) throws NotCompliantMBeanException {
        super(control, KillswitchMXBean.class, true);
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        return DESCRIPTION;
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        Described d = getter(info.getName());
        return d != null ? d.value() : super.getDescription(info);
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        Method m = operation(info.getName());
        Described d = m == null ? null : m.getAnnotation(Described.class);
        return d != null ? d.value() : super.getDescription(info);
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        Described d = parameter(op.getName(), sequence);
        return d != null && !d.name().isEmpty() ? d.name() : super.getParameterName(op, param, sequence);
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        Described d = parameter(op.getName(), sequence);
        return d != null ? d.value() : super.getDescription(op, param, sequence);
    }

    private static Described getter(String attribute) {
        for (Method m : KillswitchMXBean.class.getMethods()) {
            if (m.getParameterCount() == 0 && (m.getName().equals("get" + attribute) || m.getName().equals("is" + attribute))) {
                return m.getAnnotation(Described.class);
            }
        }
        return null;
    }

    /** The operations have one signature each. */
    private static Method operation(String name) {
        for (Method m : KillswitchMXBean.class.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    private static Described parameter(String operation, int sequence) {
        Method m = operation(operation);
        if (m == null || sequence >= m.getParameterCount()) {
            return null;
        }
        return m.getParameters()[sequence].getAnnotation(Described.class);
    }
}
