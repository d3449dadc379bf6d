package dev.killswitch.control;

import dev.killswitch.KillHandle;
import dev.killswitch.KillOption;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.delivery.KillStats;
import dev.killswitch.runtime.delivery.SystemThreads;
import dev.killswitch.runtime.delivery.ThreadLabels;
import dev.killswitch.runtime.diagnosis.Diagnosis;
import dev.killswitch.runtime.registry.InstrumentedClasses;
import dev.killswitch.runtime.registry.KillPointKind;

import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The MXBean: kills by id or name through the public API, and reports threads and counters. */
public final class KillswitchControl implements KillswitchMXBean {
    public static final String OBJECT_NAME = "dev.killswitch:type=Killswitch";
    /** How long an operation waits for its kill to land before it answers. */
    private static final Duration ANSWER_WAIT = Duration.ofMillis(250);
    private static final int TOP_FRAMES = 8;
    private static final int REMEMBERED_KILLS = 1000;

    private final String[] include;
    private final String onDemand;
    private final String[] includeJdk;
    private final String[] exclude;
    private final String version;
    private final long retransformed;
    private final ThreadFinder finder;
    /** The last kill requested through JMX, by thread id; bounded, oldest forgotten first. */
    private final Map<Long, Remembered> kills = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Remembered> eldest) {
            return size() > REMEMBERED_KILLS;
        }
    };
    /** Numbers the requests, so that a client can tell its own request from an earlier one. */
    private long requests;

    public KillswitchControl(String[] include, String[] exclude, String onDemand, String[] includeJdk, String version, long retransformed,
                             Instrumentation instrumentation) {
        this.onDemand = onDemand;
        this.includeJdk = includeJdk.clone();
        this.include = include.clone();
        this.exclude = exclude.clone();
        this.version = version;
        this.retransformed = retransformed;
        this.finder = new ThreadFinder(instrumentation);
    }

    @Override
    public KillView kill(long threadId, String reason) {
        return killById(threadId, reason);
    }

    @Override
    public KillView escalate(long threadId, String reason) {
        return killById(threadId, reason, KillOption.ESCALATE);
    }

    @Override
    public KillView killWhenInSelectedCode(long threadId, String reason) {
        return killById(threadId, reason, KillOption.WAIT_FOR_SELECTED_CODE);
    }

    @Override
    public KillView cancelKill(long threadId) {
        Thread t = live(threadId);
        KillHandle pending = KillRuntime.pendingKill(t);
        if (pending == null || !pending.cancel()) {
            return new KillView(threadId, 0, t.getName(), "NONE", "", "", -1, !t.isAlive(), "",
                    ThreadLabels.label(t) + " has no pending kill to cancel");
        }
        return view(threadId, pending, number(threadId, pending), () -> "the pending kill of " + ThreadLabels.label(t) + " is cancelled");
    }

    private KillView killById(long threadId, String reason, KillOption... options) {
        Thread t = live(threadId);
        KillHandle handle = request(t, reason, options);
        awaitAnswer(handle);
        return view(threadId, handle, number(threadId, handle), handle::describe);
    }

    /** The live thread with that id; IllegalArgumentException, with a sentence, if there is none. */
    private Thread live(long threadId) {
        Thread t = finder.byId(threadId);
        if (t == null) {
            throw new IllegalArgumentException(noSuchThread(threadId));
        }
        return t;
    }

    @Override
    @SuppressWarnings("deprecation")
    public List<KillView> killByName(String nameRegex, String reason) {
        if (nameRegex == null || nameRegex.isEmpty()) {
            throw new IllegalArgumentException("no name pattern given: pass a regular expression that thread names must match as a whole");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(nameRegex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression: " + e.getDescription() + " in \"" + nameRegex + "\"");
        }
        List<Thread> matched = new ArrayList<>();
        try {
            for (Thread t : finder.all()) {
                if (NamePatterns.matches(pattern, t.getName())) {
                    matched.add(t);
                }
            }
        } catch (NamePatterns.TooSlow e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        List<KillView> answers = new ArrayList<>();
        List<KillHandle> handles = new ArrayList<>();
        for (Thread t : matched) {
            String untouchable = t == Thread.currentThread() ? "the thread serving this request" : SystemThreads.whyUntouchable(t);
            if (untouchable != null) {
                answers.add(new KillView(t.getId(), 0, t.getName(), KillStatus.SYSTEM_THREAD.name(), "", "", -1, false, "",
                        ThreadLabels.label(t) + " matched and was left alone: it is " + untouchable + ", which is never killed"));
            } else {
                handles.add(request(t, reason));
            }
        }
        if (handles.isEmpty()) {
            throw new IllegalArgumentException("no live thread's name matches \"" + nameRegex + "\""
                    + (answers.isEmpty() ? "" : " (" + answers.size() + " JVM system or agent thread(s) matched and were left alone)")
                    + (finder.virtualThreadsVisible() ? "" : " (virtual threads cannot be listed in this JVM; only platform threads were searched)"));
        }
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        for (KillHandle h : handles) {
            awaitUntil(h, deadline);
            long id = h.thread().getId();
            answers.add(view(id, h, number(id, h), h::describe));
        }
        return answers;
    }

    @Override
    @SuppressWarnings("deprecation")
    public String describeThread(long threadId) {
        Thread t = finder.byId(threadId);
        KillHandle kill = remembered(threadId);
        if (t == null) {
            if (kill == null) {
                throw new IllegalArgumentException(noSuchThread(threadId));
            }
            return noSuchThread(threadId) + "; last kill: " + kill.describe();
        }
        StackTraceElement[] stack = t.getStackTrace();
        StackTraceElement selected = Diagnosis.firstSelected(stack);
        StringBuilder s = new StringBuilder();
        s.append(ThreadLabels.label(t))
                .append(ThreadFinder.isVirtual(t) ? " (virtual)" : t.isDaemon() ? " (daemon)" : "")
                .append(", ").append(t.getState()).append('\n');
        s.append(selected == null ? "not in selected code" : "in selected code at " + Diagnosis.frame(selected)).append('\n');
        s.append(Diagnosis.of(t)).append('\n');
        for (int i = 0; i < Math.min(TOP_FRAMES, stack.length); i++) {
            s.append("    at ").append(stack[i]).append('\n');
        }
        if (stack.length > TOP_FRAMES) {
            s.append("    ... ").append(stack.length - TOP_FRAMES).append(" more\n");
        }
        s.append(kill == null ? "no kill requested through JMX" : "kill: " + kill.describe());
        return s.toString();
    }

    @Override
    @SuppressWarnings("deprecation")
    public List<ThreadView> threads() {
        List<ThreadView> rows = new ArrayList<>();
        for (Thread t : finder.all()) {
            if (!t.isAlive()) {
                continue;
            }
            StackTraceElement[] stack = t.getStackTrace();
            StackTraceElement selected = Diagnosis.firstSelected(stack);
            String where = selected != null ? Diagnosis.frame(selected) : stack.length > 0 ? Diagnosis.frame(stack[0]) : "";
            rows.add(new ThreadView(t.getId(), t.getName(), t.getState().name(), ThreadFinder.isVirtual(t), selected != null, where));
        }
        return rows;
    }

    @Override
    @SuppressWarnings("deprecation")
    public KillView killStatus(long threadId) {
        Remembered r;
        synchronized (kills) {
            r = kills.get(threadId);
        }
        if (r == null) {
            Thread t = finder.byId(threadId);
            if (t == null) {
                throw new IllegalArgumentException(noSuchThread(threadId) + ", and no kill of it was requested through JMX");
            }
            return new KillView(threadId, 0, t.getName(), "NONE", "", "", -1, false, "",
                    "no kill of " + ThreadLabels.label(t) + " was requested through JMX");
        }
        return view(threadId, r.handle, r.number, r.handle::describe);
    }

    /** The state first, then the words: a kill that settles meanwhile is never shown settled but described as pending. */
    private static KillView view(long threadId, KillHandle h, long number, Supplier<String> description) {
        String status = h.status().name();
        String deliveredAt = h.deliveredAt().map(Diagnosis::frame).orElse("");
        double latency = h.deliveryLatency().map(d -> d.toNanos() / 1e6).orElse(-1.0);
        boolean ended = h.hasThreadEnded();
        String whyNot = h.whyNotDelivered().orElse("");
        String[] onDemand = h.instrumentedOnDemand().toArray(new String[0]);
        return new KillView(threadId, number, h.threadName(), status, h.reason(), deliveredAt, latency, ended, whyNot,
                description.get(), onDemand);
    }

    /** The number of the request behind {@code handle}, if it was made here; 0 otherwise. */
    private long number(long threadId, KillHandle handle) {
        synchronized (kills) {
            Remembered r = kills.get(threadId);
            return r != null && (r.handle == handle || handle.pendingKill().orElse(null) == r.handle) ? r.number : 0;
        }
    }

    private KillHandle request(Thread t, String reason, KillOption... options) {
        KillHandle handle = Killswitch.kill(t, reason == null || reason.isBlank() ? "killed through JMX" : reason, options);
        KillHandle pending = handle.status() == KillStatus.ALREADY_BEING_KILLED ? handle.pendingKill().orElse(handle) : handle;
        synchronized (kills) {
            kills.put(id(t), new Remembered(pending.status().isRefused() ? handle : pending, ++requests));
        }
        return handle;
    }

    private KillHandle remembered(long threadId) {
        synchronized (kills) {
            Remembered r = kills.get(threadId);
            return r == null ? null : r.handle;
        }
    }

    private static final class Remembered {
        final KillHandle handle;
        final long number;

        Remembered(KillHandle handle, long number) {
            this.handle = handle;
            this.number = number;
        }
    }

    private String noSuchThread(long threadId) {
        return "no live thread with id " + threadId + (finder.virtualThreadsVisible() ? ""
                : " among the platform threads (virtual threads cannot be found by id in this JVM;"
                + " kill them with Killswitch.kill from the application)");
    }

    private static void awaitAnswer(KillHandle handle) {
        awaitUntil(handle, System.nanoTime() + ANSWER_WAIT.toNanos());
    }

    private static void awaitUntil(KillHandle handle, long deadline) {
        try {
            if (handle.awaitDelivery(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                handle.awaitThreadEnd(Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("deprecation")
    private static long id(Thread t) {
        return t.getId();
    }

    @Override
    public boolean isActive() {
        return Killswitch.isActive();
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String[] getInclude() {
        return include.clone();
    }

    @Override
    public String[] getExclude() {
        return exclude.clone();
    }

    @Override
    public String getOnDemand() {
        return onDemand;
    }

    @Override
    public String[] getIncludeJdk() {
        return includeJdk.clone();
    }

    @Override
    public long getInstrumentedOnDemandClasses() {
        return InstrumentedClasses.countOnDemand();
    }

    @Override
    public long getInstrumentedClasses() {
        return InstrumentedClasses.count();
    }

    @Override
    public long getBackEdgeKillPoints() {
        return InstrumentedClasses.killPoints(KillPointKind.BACK_EDGE);
    }

    @Override
    public long getMethodEntryKillPoints() {
        return InstrumentedClasses.killPoints(KillPointKind.METHOD_ENTRY);
    }

    @Override
    public long getBlockingCallKillPoints() {
        return InstrumentedClasses.killPoints(KillPointKind.BLOCKING_CALL);
    }

    @Override
    public long getCatchExitKillPoints() {
        return InstrumentedClasses.killPoints(KillPointKind.CATCH_EXIT);
    }

    @Override
    public long getRetransformedClasses() {
        return retransformed;
    }

    @Override
    public long getKillsRequested() {
        return KillStats.requested();
    }

    @Override
    public long getKillsDelivered() {
        return KillStats.delivered();
    }

    @Override
    public long getKillsPending() {
        return KillStats.pending();
    }

    @Override
    public long getKillsRefused() {
        return KillStats.refused();
    }

    @Override
    public long getKillsEndedUndelivered() {
        return KillStats.endedUndelivered();
    }

    @Override
    public long getKillsCancelled() {
        return KillStats.cancelled();
    }

    @Override
    public long getKillsReraised() {
        return KillStats.reraised();
    }

    @Override
    public double getDeliveryLatencyMeanMillis() {
        return measured(KillStats.meanDeliveryMicros() / 1000.0);
    }

    @Override
    public double getDeliveryLatencyP50Millis() {
        return measured(KillStats.recentLatencyMillis()[0]);
    }

    @Override
    public double getDeliveryLatencyP99Millis() {
        return measured(KillStats.recentLatencyMillis()[1]);
    }

    @Override
    public double getDeliveryLatencyMaxMillis() {
        return measured(KillStats.recentLatencyMillis()[2]);
    }

    /** Not a number until a kill has been delivered: 0 would read as "instant" on a graph. */
    private static double measured(double millis) {
        return KillStats.delivered() == 0 ? Double.NaN : millis;
    }
}
