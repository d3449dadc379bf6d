package dev.killswitch.it.child;

import java.util.Map;
import java.util.StringJoiner;

/** Writes the report lines the parent test reads. */
public final class Report {
    private Report() {
    }

    public static synchronized void line(String event, Map<String, ?> fields) {
        StringJoiner j = new StringJoiner("\t", "@@ " + event + (fields.isEmpty() ? "" : "\t"), "");
        fields.forEach((k, v) -> j.add(k + "=" + String.valueOf(v).replace('\t', ' ').replace('\n', ' ')));
        System.out.println(j);
        System.out.flush();
    }

    public static void line(String event) {
        line(event, Map.of());
    }

    static String nameOf(Throwable t) {
        return t == null ? "none" : t.getClass().getName();
    }
}
