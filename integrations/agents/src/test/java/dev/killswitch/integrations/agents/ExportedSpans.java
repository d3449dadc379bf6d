package dev.killswitch.integrations.agents;

import java.util.List;
import java.util.Optional;

/**
 * The spans the OpenTelemetry agent exported with {@code otel.traces.exporter=logging-otlp}: one OTLP JSON document
 * per export, logged on standard error. Finds one span's JSON object by its span id, without a JSON library: the
 * object is cut out by matching braces outside strings.
 */
final class ExportedSpans {
    private static final String EXPORTER = "OtlpJsonLoggingSpanExporter";

    private ExportedSpans() {
    }

    static boolean isExportLine(String stderrLine) {
        return stderrLine.contains(EXPORTER);
    }

    /** The JSON object of the span with that id, if an export line holds it. */
    static Optional<String> span(List<String> stderr, String spanId) {
        String key = "\"spanId\":\"" + spanId + "\"";
        for (String line : stderr) {
            int at = line.indexOf(key);
            if (isExportLine(line) && at >= 0) {
                return Optional.of(enclosingObject(line, at));
            }
        }
        return Optional.empty();
    }

    /** The status code OTLP gives an error ({@code STATUS_CODE_ERROR}); an unset status is written as {@code {}}. */
    static boolean hasErrorStatus(String span) {
        return span.contains("\"status\":{\"code\":2}");
    }

    static boolean hasExceptionEvent(String span, String exceptionType) {
        return span.contains("\"name\":\"exception\"")
                && span.contains("\"key\":\"exception.type\",\"value\":{\"stringValue\":\"" + exceptionType + "\"}");
    }

    static boolean isEnded(String span) {
        return span.contains("\"endTimeUnixNano\":\"") && !span.contains("\"endTimeUnixNano\":\"0\"");
    }

    /** The JSON object in which the key starting at {@code at} stands. */
    private static String enclosingObject(String json, int at) {
        java.util.ArrayDeque<Integer> opens = new java.util.ArrayDeque<>();
        boolean inString = false;
        // From the document's start, so that braces inside strings (stack traces, messages) are skipped.
        for (int i = 0; i < at; i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                opens.push(i);
            } else if (c == '}') {
                opens.pop();
            }
        }
        int start = opens.pop();
        return json.substring(start, closing(json, start));
    }

    private static int closing(String json, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unbalanced JSON from offset " + open);
    }
}
