package com.acme.agents.app;

/** Prints the report lines the tests read: {@code @@ EVENT\tkey=value\t...}, flushed at once. */
final class Report {
    private Report() {
    }

    static synchronized void line(String event, String... keyValues) {
        StringBuilder b = new StringBuilder("@@ ").append(event);
        for (int i = 0; i < keyValues.length; i += 2) {
            b.append('\t').append(keyValues[i]).append('=').append(keyValues[i + 1]);
        }
        System.out.println(b);
        System.out.flush();
    }
}
