package dev.killswitch.cli;

import dev.killswitch.control.KillswitchMXBean;
import dev.killswitch.control.ThreadView;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code threads PID}: a table of the target's threads. */
final class ThreadsCommand implements TargetCommand {
    private static final int MAX_NAME = 40;

    @Override
    public int run(String pid, List<String> args, KillswitchMXBean control, PrintStream out) throws CliException {
        boolean json = Json.requested(args);
        if (!args.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "threads takes only a process id (and --json), not " + args);
        }
        List<ThreadView> threads = control.threads();
        threads.sort(Comparator.comparingLong(ThreadView::getId));
        if (json) {
            List<Object> rows = new ArrayList<>();
            for (ThreadView t : threads) {
                rows.add(Json.thread(t));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pid", Long.parseLong(pid));
            answer.put("threads", rows);
            out.println(Json.write(answer));
            return ExitCodes.OK;
        }
        int nameWidth = 4;
        for (ThreadView t : threads) {
            nameWidth = Math.max(nameWidth, Math.min(MAX_NAME, t.getName().length()));
        }
        String row = "%7s  %-13s  %-3s  %-" + nameWidth + "s  %s%n";
        out.printf(row, "ID", "STATE", "SEL", "NAME", "WHERE");
        int selected = 0;
        for (ThreadView t : threads) {
            selected += t.isInSelectedCode() ? 1 : 0;
            out.printf(row, t.getId(), t.getState(), t.isInSelectedCode() ? "*" : "",
                    t.getName() + (t.isVirtual() ? " (virtual)" : ""), t.getWhere());
        }
        out.println(threads.size() + " threads, " + selected + " in selected code (SEL *: WHERE is the innermost"
                + " selected frame; otherwise the top frame)");
        return ExitCodes.OK;
    }
}
