package com.acme.agents.app;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * The application's work, traced the way OpenTelemetry's documentation shows: {@code @WithSpan} on the methods, so
 * the OpenTelemetry agent wraps each in a span. The JaCoCo agent adds its coverage probes to the same methods.
 */
public final class ReportJob {
    /** The ledger the runaway job adds to; it only grows while the job spins. */
    static final long[] LEDGER = new long[16];

    private ReportJob() {
    }

    /** Real work with a checkable answer: the sum of the first {@code count} primes, logged with its span's id. */
    @WithSpan
    public static long sumOfPrimes(int count) {
        long sum = 0;
        int found = 0;
        for (int n = 2; found < count; n++) {
            if (isPrime(n)) {
                sum += n;
                found++;
            }
        }
        Report.line("WORKED", "thread", Thread.currentThread().getName(), "sum", Long.toString(sum),
                "spanId", Span.current().getSpanContext().getSpanId());
        return sum;
    }

    private static boolean isPrime(int n) {
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** A job whose row index never moves on: it spins until something stops the thread. */
    @WithSpan
    public static void runaway() {
        SpanContext span = Span.current().getSpanContext();
        Report.line("SPINNING", "thread", Thread.currentThread().getName(), "traceId", span.getTraceId(),
                "spanId", span.getSpanId());
        try {
            int row = 0;
            while (true) {
                LEDGER[row]++;
            }
        } finally {
            Report.line("FINALLY", "thread", Thread.currentThread().getName(), "ledger", Long.toString(LEDGER[0]));
        }
    }

    /**
     * The same runaway job, recording its progress on its span at every step: the thread spends most of its time in
     * the OpenTelemetry agent's code (the API bridge and the SDK's span), not in its own.
     */
    @WithSpan
    public static void runawayWithProgress() {
        Span span = Span.current();
        SpanContext context = span.getSpanContext();
        Report.line("SPINNING", "thread", Thread.currentThread().getName(), "traceId", context.getTraceId(),
                "spanId", context.getSpanId());
        long rows = 0;
        try {
            int row = 0;
            while (true) {
                LEDGER[row]++;
                span.setAttribute("report.rows", ++rows);
            }
        } finally {
            Report.line("FINALLY", "thread", Thread.currentThread().getName(), "rows", Long.toString(rows));
        }
    }
}
