package dev.killswitch.integrations.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The spans the OpenTelemetry agent exported with {@code otel.traces.exporter=logging-otlp}: one OTLP JSON document
 * resource per line, logged on standard error. A span is handed around as its own JSON object, in compact form.
 */
final class ExportedSpans {
    private static final String EXPORTER = "OtlpJsonLoggingSpanExporter";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportedSpans() {
    }

    static boolean isExportLine(String stderrLine) {
        return stderrLine.contains(EXPORTER);
    }

    /** The JSON object of the span with that id, if an export line holds it. */
    static Optional<String> span(List<String> stderr, String spanId) {
        for (String line : stderr) {
            int document = line.indexOf('{');
            if (isExportLine(line) && document >= 0 && line.contains(spanId)) {
                JsonNode root = parse(line.substring(document));
                // One ResourceSpans object per line, or (other versions) a whole export request holding them.
                for (JsonNode resource : root.has("resourceSpans") ? root.path("resourceSpans") : List.of(root)) {
                    for (JsonNode scope : resource.path("scopeSpans")) {
                        for (JsonNode span : scope.path("spans")) {
                            if (spanId.equals(span.path("spanId").asText())) {
                                return Optional.of(span.toString());
                            }
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** OTLP's {@code STATUS_CODE_ERROR}. */
    static boolean hasErrorStatus(String span) {
        return parse(span).path("status").path("code").asInt() == 2;
    }

    static boolean hasExceptionEvent(String span, String exceptionType) {
        for (JsonNode event : parse(span).path("events")) {
            if (event.path("name").asText().equals("exception")) {
                for (JsonNode attribute : event.path("attributes")) {
                    if (attribute.path("key").asText().equals("exception.type")
                            && attribute.path("value").path("stringValue").asText().equals(exceptionType)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static boolean isEnded(String span) {
        String end = parse(span).path("endTimeUnixNano").asText("0");
        return !end.isEmpty() && !end.equals("0");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not an OTLP JSON document: " + json, e);
        }
    }
}
