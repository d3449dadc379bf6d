package dev.killswitch.agent;

import dev.killswitch.runtime.delivery.KillStats;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.KillPointKind;

import java.util.Locale;

/** With debug=true, what the agent cost this JVM, printed when it exits. */
final class DebugSummary {
    private DebugSummary() {
    }

    static String text() {
        int classes = InstrumentedClasses.count();
        long sites = InstrumentedClasses.linkedSites();
        return String.format(Locale.ROOT, "killswitch: instrumented %d classes (%d back-edge, %d method-entry kill points,"
                        + " %d blocking calls, %d catch- and finally-block exits) in %.1f ms; linked the kill points of %d methods (%d switches or call sites) in %.1f ms;"
                        + " kills requested %d, delivered %d",
                classes, InstrumentedClasses.killPoints(KillPointKind.BACK_EDGE), InstrumentedClasses.killPoints(KillPointKind.METHOD_ENTRY),
                InstrumentedClasses.killPoints(KillPointKind.BLOCKING_CALL),
                InstrumentedClasses.killPoints(KillPointKind.CATCH_EXIT),
                InstrumentedClasses.transformNanos() / 1e6,
                KillStats.linkedMethods(), sites, InstrumentedClasses.linkNanos() / 1e6, KillStats.requested(), KillStats.delivered());
    }
}
