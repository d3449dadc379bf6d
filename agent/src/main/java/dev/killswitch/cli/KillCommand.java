package dev.killswitch.cli;

import dev.killswitch.config.Durations;
import dev.killswitch.control.KillView;
import dev.killswitch.control.KillswitchMXBean;
import dev.killswitch.control.NamePatterns;
import dev.killswitch.control.ThreadView;
import dev.killswitch.runtime.delivery.ThreadLabels;
import dev.killswitch.runtime.ondemand.OnDemand;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code kill PID ID|NAME-REGEX [--reason TEXT] [--wait DURATION] [--escalate | --wait-for-selected-code]}:
 * asks the agent to kill, then follows each kill until its thread has died or the wait is over, and says
 * where it landed, or why not.
 */
final class KillCommand implements TargetCommand {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
    private static final String DEFAULT_REASON = "killed with the killswitch command-line tool";
    private static final long POLL_MILLIS = 50;

    @Override
    public int run(String pid, List<String> args, KillswitchMXBean control, PrintStream out) throws CliException {
        boolean json = Json.requested(args);
        String target = null;
        String reason = DEFAULT_REASON;
        Duration wait = DEFAULT_WAIT;
        String option = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--escalate") || a.equals("--wait-for-selected-code")) {
                if (option != null && !option.equals(a)) {
                    throw new CliException(ExitCodes.USAGE, "--escalate and --wait-for-selected-code do not go together");
                }
                option = a;
            } else if (a.equals("--reason") || a.equals("--wait")) {
                if (i + 1 == args.size()) {
                    throw new CliException(ExitCodes.USAGE, a + " needs a value");
                }
                String value = args.get(++i);
                if (a.equals("--reason")) {
                    reason = value;
                } else {
                    wait = waitOption(value);
                }
            } else if (a.startsWith("--reason=")) {
                reason = a.substring("--reason=".length());
            } else if (a.startsWith("--wait=")) {
                wait = waitOption(a.substring("--wait=".length()));
            } else if (a.startsWith("--")) {
                throw new CliException(ExitCodes.USAGE, "unknown option " + a
                        + " (kill takes --reason TEXT, --wait DURATION, --escalate, --wait-for-selected-code and --json)");
            } else if (target == null) {
                target = a;
            } else {
                throw new CliException(ExitCodes.USAGE, "kill takes one thread id or name pattern, not also \"" + a + "\"");
            }
        }
        if (target == null) {
            throw new CliException(ExitCodes.USAGE, "kill needs a thread id or a name pattern after the process id"
                    + " (java -jar killswitch-agent.jar threads " + pid + " lists them)");
        }
        boolean byId = target.matches("\\d+");
        Pattern names = null;
        if (!byId) {
            try {
                names = Pattern.compile(target);
            } catch (PatternSyntaxException e) {
                throw new CliException(ExitCodes.USAGE, "not a thread id or a regular expression: " + e.getDescription()
                        + " in \"" + target + "\"");
            }
        }
        if (!control.isActive()) {
            throw new CliException(ExitCodes.NO_AGENT, "the agent in JVM " + pid + " is not active; nothing can be killed");
        }
        List<KillView> answers = new ArrayList<>();
        try {
            if (byId) {
                answers.add(kill(control, threadId(target), reason, option));
            } else {
                List<Long> matching = new ArrayList<>();
                for (ThreadView t : control.threads()) { // a pattern that backtracks without end is stopped here, before any kill
                    if (NamePatterns.matches(names, t.getName())) {
                        matching.add(t.getId());
                    }
                }
                if (option == null) {
                    answers.addAll(control.killByName(target, reason));
                } else if (matching.isEmpty()) {
                    throw new CliException(ExitCodes.NO_SUCH_THREAD, "no live thread's name matches \"" + target + "\"");
                } else {
                    for (long id : matching) {
                        answers.add(kill(control, id, reason, option));
                    }
                }
            }
        } catch (NamePatterns.TooSlow e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        } catch (IllegalArgumentException e) { // no such thread, or no name matching
            throw new CliException(ExitCodes.NO_SUCH_THREAD, e.getMessage());
        }
        // Follow the kills this command requested; a JVM thread a name matched was left alone, and is only named.
        List<Long> requested = new ArrayList<>();
        List<Object> report = new ArrayList<>();
        for (KillView v : answers) {
            if (v.getRequest() == 0) {
                report.add(Json.kill(v, v.getDescription()));
                if (!json) {
                    out.println(v.getDescription());
                }
            } else {
                requested.add(v.getThreadId());
            }
        }
        int exit = requested.isEmpty() ? ExitCodes.NO_SUCH_THREAD : follow(control, requested, wait, json ? report : null, out);
        if (json) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pid", Long.parseLong(pid));
            answer.put("exitCode", exit);
            answer.put("kills", report);
            out.println(Json.write(answer));
        }
        return exit;
    }

    private static KillView kill(KillswitchMXBean control, long id, String reason, String option) {
        if (option == null) {
            return control.kill(id, reason);
        }
        return option.equals("--escalate") ? control.escalate(id, reason) : control.killWhenInSelectedCode(id, reason);
    }

    /** Waits for the kills; prints what became of each, or adds it to {@code json} if that is not null. */
    private static int follow(KillswitchMXBean control, List<Long> ids, Duration wait, List<Object> json, PrintStream out)
            throws CliException {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<Long, KillView> last = new LinkedHashMap<>();
        try {
            for (;;) {
                boolean allOver = true;
                for (long id : ids) {
                    KillView v = control.killStatus(id);
                    last.put(id, v);
                    allOver &= isOver(v);
                }
                if (allOver || wait.isZero() || System.nanoTime() > deadline) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int exit = ExitCodes.OK;
        for (KillView v : last.values()) {
            if (json == null) {
                exit = Math.max(exit, report(control, v, wait, out));
            } else {
                java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
                exit = Math.max(exit, report(control, v, wait, new PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8)));
                json.add(Json.kill(v, text.toString(java.nio.charset.StandardCharsets.UTF_8).trim()));
            }
        }
        return exit;
    }

    /** The thread is gone, or the kill was refused or ended undelivered: nothing more will change. */
    private static boolean isOver(KillView v) {
        switch (v.getStatus()) {
            case "NOT_ALIVE":
            case "AGENT_INACTIVE":
            case "SYSTEM_THREAD":
            case "NOT_IN_SELECTED_CODE":
            case "CANCELLED":
                return true;
            default:
                return v.isThreadEnded();
        }
    }

    private static int report(KillswitchMXBean control, KillView v, Duration wait, PrintStream out) {
        String who = ThreadLabels.label(v.getThreadId(), v.getThreadName());
        switch (v.getStatus()) {
            case "NOT_ALIVE":
                // Found, then ended before the request reached it (a name pattern can match a thread that is ending).
                out.println(who + " had already ended when the kill was requested");
                return ExitCodes.OK;
            case "AGENT_INACTIVE":
                out.println(v.getDescription());
                return ExitCodes.NO_AGENT;
            case "THREAD_ENDED":
                out.println(who + " ended before the kill reached a kill point");
                return ExitCodes.OK;
            case "SYSTEM_THREAD":
                out.println(v.getDescription());
                return ExitCodes.NO_SUCH_THREAD;
            case "NOT_IN_SELECTED_CODE":
            case "CANCELLED":
                out.println(v.getDescription());
                return ExitCodes.NOT_DEAD;
            case "ALREADY_BEING_KILLED":
                out.println(v.getDescription() + (v.isThreadEnded() ? "" : "; the thread is still alive after " + Durations.format(wait)));
                return v.isThreadEnded() ? ExitCodes.OK : ExitCodes.NOT_DEAD;
            case "DELIVERED":
                String[] onDemand = v.getInstrumentedOnDemand();
                String landed = String.format(Locale.ROOT, "%s killed: ThreadKilledError thrown at %s%s, %.2f ms after the request",
                        who, v.getDeliveredAt(), onDemand.length == 0 ? "" : " (" + OnDemand.note(List.of(onDemand)) + ")",
                        v.getLatencyMillis());
                if (v.isThreadEnded()) {
                    out.println(landed + "; the thread has ended");
                    return ExitCodes.OK;
                }
                if (wait.isZero()) {
                    out.println(landed + "; not waiting for the thread to end (--wait 0)");
                    return ExitCodes.OK;
                }
                out.println(landed + ", but the thread is still alive after " + Durations.format(wait)
                        + " (still unwinding, or it caught the error and went on). Now:");
                out.println(indent(describe(control, v.getThreadId())));
                return ExitCodes.NOT_DEAD;
            default:
                if (wait.isZero()) {
                    out.println(v.getDescription());
                    return ExitCodes.OK;
                }
                out.println(who + " did not die within " + Durations.format(wait) + ": "
                        + (v.getWhyNotDelivered().isEmpty() ? v.getDescription() : v.getWhyNotDelivered())
                        + ". The kill stays pending and lands when the thread reaches a kill point"
                        + " (java -jar killswitch-agent.jar cancel PID " + v.getThreadId() + " cancels it).");
                return ExitCodes.NOT_DEAD;
        }
    }

    private static long threadId(String digits) throws CliException {
        if (digits.length() > 18) {
            throw new CliException(ExitCodes.USAGE, "no thread has an id as large as " + digits);
        }
        return Long.parseLong(digits);
    }

    private static String describe(KillswitchMXBean control, long id) {
        try {
            return control.describeThread(id);
        } catch (IllegalArgumentException e) {
            return e.getMessage(); // it ended meanwhile
        }
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }

    private static Duration waitOption(String text) throws CliException {
        Duration d = Durations.parse(text);
        if (d == null) {
            throw new CliException(ExitCodes.USAGE, "--wait \"" + text + "\" " + Durations.whyNot(text) + " (0 = do not wait)");
        }
        return d;
    }
}
