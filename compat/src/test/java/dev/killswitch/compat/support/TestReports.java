package dev.killswitch.compat.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the console launcher's legacy XML reports ({@code --reports-dir}) test by test. Each test case's
 * {@code system-out} starts with its JUnit Platform unique id, which names it exactly, nested suites and parameters
 * included; the class and method name stand in where it is missing.
 */
public final class TestReports {
    public enum Outcome { PASSED, FAILED, SKIPPED }

    private TestReports() {
    }

    public static Map<String, Outcome> read(Path reportsDir) throws IOException {
        Map<String, Outcome> tests = new LinkedHashMap<>();
        if (!Files.isDirectory(reportsDir)) {
            return tests;
        }
        try (Stream<Path> files = Files.list(reportsDir)) {
            for (Path report : files.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(report)) {
                    read(in, tests);
                } catch (XMLStreamException e) {
                    throw new IOException("cannot read " + report + ": " + e, e);
                }
            }
        }
        return tests;
    }

    private static void read(InputStream in, Map<String, Outcome> tests) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XMLStreamReader xml = factory.createXMLStreamReader(in);
        String fallbackName = null;
        Outcome outcome = null;
        String uniqueId = null;
        boolean inSystemOut = false;
        StringBuilder text = new StringBuilder();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "testcase" -> {
                        fallbackName = xml.getAttributeValue(null, "classname") + "#" + xml.getAttributeValue(null, "name");
                        outcome = Outcome.PASSED;
                        uniqueId = null;
                    }
                    case "failure", "error" -> outcome = Outcome.FAILED;
                    case "skipped" -> outcome = outcome == Outcome.FAILED ? outcome : Outcome.SKIPPED;
                    case "system-out" -> {
                        inSystemOut = fallbackName != null;
                        text.setLength(0);
                    }
                    default -> {
                    }
                }
            } else if (inSystemOut && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
                text.append(xml.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (xml.getLocalName().equals("system-out") && inSystemOut) {
                    inSystemOut = false;
                    for (String line : text.toString().split("\n")) {
                        if (line.startsWith("unique-id: ")) {
                            uniqueId = line.substring("unique-id: ".length()).trim();
                            break;
                        }
                    }
                } else if (xml.getLocalName().equals("testcase")) {
                    String key = uniqueId != null ? uniqueId : fallbackName;
                    String unique = key;
                    for (int n = 2; tests.containsKey(unique); n++) {
                        unique = key + " #" + n;
                    }
                    tests.put(unique, outcome);
                    fallbackName = null;
                }
            }
        }
        xml.close();
    }
}
