package dev.killswitch.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the {@code deadline} key: {@code com.acme.ReportJob.run:30s}, a method (every overload of
 * that name) and the longest a thread may spend inside it.
 */
public final class DeadlineSpec {
    private final String className;
    private final String methodName;
    private final Duration budget;
    private final String budgetText;

    private DeadlineSpec(String className, String methodName, Duration budget, String budgetText) {
        this.className = className;
        this.methodName = methodName;
        this.budget = budget;
        this.budgetText = budgetText;
    }

    /** Parses a comma-separated list; {@code origin} says where it came from, for messages. */
    static List<DeadlineSpec> parseList(String value, String origin) throws ConfigException {
        if (value.isEmpty()) {
            throw new ConfigException("deadline is empty (" + origin + "): give Class.method:duration, as in com.acme.ReportJob.run:30s");
        }
        List<DeadlineSpec> specs = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String text = item.trim();
            if (text.isEmpty()) {
                throw new ConfigException("deadline \"" + value + "\" (" + origin + ") has an empty entry between commas");
            }
            DeadlineSpec spec = parse(text, origin);
            for (DeadlineSpec other : specs) {
                if (other.method().equals(spec.method())) {
                    throw new ConfigException("deadline (" + origin + ") gives " + spec.method() + " twice");
                }
            }
            specs.add(spec);
        }
        return specs;
    }

    static DeadlineSpec parse(String text, String origin) throws ConfigException {
        String where = "deadline \"" + text + "\" (" + origin + ")";
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(where + " has no duration: write Class.method:duration, as in com.acme.ReportJob.run:30s");
        }
        String method = text.substring(0, colon).trim();
        String duration = text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        int dot = method.lastIndexOf('.');
        if (dot <= 0 || dot == method.length() - 1) {
            throw new ConfigException(where + ": \"" + method + "\" is not Class.method; write the class's full name,"
                    + " a dot and the method name, as in com.acme.ReportJob.run");
        }
        String className = method.substring(0, dot);
        String methodName = method.substring(dot + 1);
        if (method.indexOf('*') >= 0) {
            throw new ConfigException(where + ": patterns are not allowed here; name one class and one method");
        }
        if (!isIdentifier(methodName)) {
            throw new ConfigException(where + ": \"" + methodName + "\" is not a method name (constructors and static"
                    + " initialisers cannot have a deadline)");
        }
        for (String segment : className.split("\\.", -1)) {
            if (!isIdentifier(segment)) {
                throw new ConfigException(where + ": \"" + className + "\" is not a class name");
            }
        }
        Duration budget = Durations.parse(duration);
        if (budget == null) {
            throw new ConfigException(where + ": \"" + duration + "\" " + Durations.whyNot(duration));
        }
        if (budget.isZero()) {
            throw new ConfigException(where + ": the duration must be more than zero");
        }
        return new DeadlineSpec(className, methodName, budget, duration);
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Binary name with dots: {@code com.acme.ReportJob}, {@code com.acme.Job$Step}. */
    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }

    /** {@code com.acme.ReportJob.run}. */
    public String method() {
        return className + "." + methodName;
    }

    public Duration budget() {
        return budget;
    }

    /** The budget as written, normalised to lower case: {@code 30s}. */
    public String budgetText() {
        return budgetText;
    }

    @Override
    public String toString() {
        return method() + ":" + budgetText;
    }
}
