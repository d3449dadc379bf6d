package dev.killswitch.cli;

import dev.killswitch.control.KillView;
import dev.killswitch.control.KillswitchMXBean;

import java.io.PrintStream;
import java.util.List;

/** {@code cancel PID ID}: cancels the pending kill of a thread, which then runs on as if never asked. */
final class CancelCommand implements TargetCommand {
    @Override
    public int run(String pid, List<String> args, KillswitchMXBean control, PrintStream out) throws CliException {
        boolean json = Json.requested(args);
        if (args.size() != 1 || !args.get(0).matches("\\d{1,18}")) {
            throw new CliException(ExitCodes.USAGE, "cancel takes one thread id after the process id"
                    + " (java -jar killswitch-agent.jar threads " + pid + " lists them)");
        }
        long id = Long.parseLong(args.get(0));
        KillView answer;
        try {
            answer = control.cancelKill(id);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.NO_SUCH_THREAD, e.getMessage());
        }
        out.println(json ? Json.write(Json.kill(answer, null)) : answer.getDescription());
        return answer.getStatus().equals("CANCELLED") ? ExitCodes.OK : ExitCodes.NOT_DEAD;
    }
}
