package dev.killswitch.cli;

import dev.killswitch.control.KillView;
import dev.killswitch.control.ThreadView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code --json} prints: maps, lists, text, numbers, booleans and null, as JSON (numbers that are not, as null). */
final class Json {
    static final String FLAG = "--json";

    private Json() {
    }

    /** Removes {@code --json} from the words; true if it was there. */
    static boolean requested(List<String> args) {
        return args.removeIf(FLAG::equals);
    }

    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b);
        return b.toString();
    }

    private static void write(Object value, StringBuilder b) {
        if (value == null) {
            b.append("null");
        } else if (value instanceof String) {
            quote((String) value, b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            b.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%s", d) : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            b.append(value);
        } else if (value instanceof Map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                b.append(first ? "" : ",");
                first = false;
                quote(String.valueOf(e.getKey()), b);
                b.append(':');
                write(e.getValue(), b);
            }
            b.append('}');
        } else if (value instanceof List) {
            b.append('[');
            boolean first = true;
            for (Object o : (List<?>) value) {
                b.append(first ? "" : ",");
                first = false;
                write(o, b);
            }
            b.append(']');
        } else {
            quote(String.valueOf(value), b);
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /** One kill, with what the tool concluded about it ({@code summary}), as a script reads it. */
    static Map<String, Object> kill(KillView v, String summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threadId", v.getThreadId());
        m.put("threadName", v.getThreadName());
        m.put("status", v.getStatus());
        m.put("reason", v.getReason());
        m.put("deliveredAt", v.getDeliveredAt().isEmpty() ? null : v.getDeliveredAt());
        m.put("latencyMillis", v.getLatencyMillis() < 0 ? null : v.getLatencyMillis());
        m.put("threadEnded", v.isThreadEnded());
        m.put("whyNotDelivered", v.getWhyNotDelivered().isEmpty() ? null : v.getWhyNotDelivered());
        m.put("description", v.getDescription());
        m.put("instrumentedOnDemand", List.of(v.getInstrumentedOnDemand()));
        if (summary != null) {
            m.put("summary", summary);
        }
        return m;
    }

    static Map<String, Object> thread(ThreadView t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("name", t.getName());
        m.put("state", t.getState());
        m.put("virtual", t.isVirtual());
        m.put("inSelectedCode", t.isInSelectedCode());
        m.put("where", t.getWhere());
        return m;
    }
}
