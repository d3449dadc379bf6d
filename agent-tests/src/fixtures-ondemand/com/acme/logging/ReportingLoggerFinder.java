package com.acme.logging;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * An application's own binding of the JDK's System.Logger, as Log4j's and SLF4J's bridges are: found through
 * {@code META-INF/services/java.lang.System$LoggerFinder}, it reports every line it gets as an event.
 */
public final class ReportingLoggerFinder extends System.LoggerFinder {
    @Override
    public System.Logger getLogger(String name, Module module) {
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
                report(level, message);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                report(level, params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params));
            }

            private void report(Level level, String message) {
                System.out.println("@@ LOGGED\tlogger=" + name + "\tlevel=" + level + "\tmessage=" + message.replace('\t', ' '));
                System.out.flush();
            }
        };
    }
}
