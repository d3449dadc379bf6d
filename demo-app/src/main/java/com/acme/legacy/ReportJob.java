package com.acme.legacy;

import java.io.Closeable;
import java.util.List;

/** A nightly report. The row index moves on only when a row is rejected, so on good data the loop never ends. */
public final class ReportJob implements Runnable {
    /** Rows summed so far: the monitoring page shows it. */
    public static volatile long rowsProcessed;
    /** The ledger the job must hold while it totals. */
    public static final Object LEDGER = new Object();

    private final ReportFile report = new ReportFile();

    @Override
    public void run() {
        List<Integer> rows = List.of(3, 1, 4, 1, 5, 9, 2, 6);
        synchronized (LEDGER) {
            try {
                long total = 0;
                for (int i = 0; i < rows.size(); ) {
                    int row = rows.get(i);
                    if (row < 0) {
                        i++; // skip a rejected row (the bug: a good row never moves the index on)
                        continue;
                    }
                    total += row;
                    rowsProcessed++;
                }
                report.write("total " + total);
            } finally {
                report.close();
            }
        }
    }

    /** Stands for the file the report is written to. */
    public static final class ReportFile implements Closeable {
        public static volatile boolean closed;

        void write(String line) {
            // written to disk in the real job
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
