package dev.killswitch.control;

import javax.management.ConstructorParameters;

/** A kill as {@link KillswitchMXBean#killStatus(long)} reports it; an MXBean maps it to CompositeData. */
public final class KillView {
    private final long threadId;
    private final long request;
    private final String threadName;
    private final String status;
    private final String reason;
    private final String deliveredAt;
    private final double latencyMillis;
    private final boolean threadEnded;
    private final String whyNotDelivered;
    private final String description;
    private final String[] instrumentedOnDemand;

    /** A view with no class instrumented on demand. */
    public KillView(long threadId, long request, String threadName, String status, String reason, String deliveredAt, double latencyMillis,
                    boolean threadEnded, String whyNotDelivered, String description) {
        this(threadId, request, threadName, status, reason, deliveredAt, latencyMillis, threadEnded, whyNotDelivered, description,
                new String[0]);
    }

    @ConstructorParameters({"threadId", "request", "threadName", "status", "reason", "deliveredAt", "latencyMillis", "threadEnded",
            "whyNotDelivered", "description", "instrumentedOnDemand"})
    public KillView(long threadId, long request, String threadName, String status, String reason, String deliveredAt, double latencyMillis,
                    boolean threadEnded, String whyNotDelivered, String description, String[] instrumentedOnDemand) {
        this.instrumentedOnDemand = instrumentedOnDemand == null ? new String[0] : instrumentedOnDemand.clone();
        this.threadId = threadId;
        this.request = request;
        this.threadName = threadName;
        this.status = status;
        this.reason = reason;
        this.deliveredAt = deliveredAt;
        this.latencyMillis = latencyMillis;
        this.threadEnded = threadEnded;
        this.whyNotDelivered = whyNotDelivered;
        this.description = description;
    }

    public long getThreadId() {
        return threadId;
    }

    /** The number of the request among all kills requested through JMX, from 1; 0 if there was none. */
    public long getRequest() {
        return request;
    }

    public String getThreadName() {
        return threadName;
    }

    /** A {@code dev.killswitch.KillStatus} name, or NONE if no kill was requested through JMX. */
    public String getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    /** The frame where the error was thrown, empty until then. */
    public String getDeliveredAt() {
        return deliveredAt;
    }

    /** From the request to the throw; -1 until delivered. */
    public double getLatencyMillis() {
        return latencyMillis;
    }

    public boolean isThreadEnded() {
        return threadEnded;
    }

    /** While pending: why the kill has not landed, from the thread's stack now; empty otherwise. */
    public String getWhyNotDelivered() {
        return whyNotDelivered;
    }

    /** The whole story in one line. */
    public String getDescription() {
        return description;
    }

    /** The classes on the thread's stack that the kill had instrumented, because they ran code without kill points. */
    public String[] getInstrumentedOnDemand() {
        return instrumentedOnDemand.clone();
    }
}
