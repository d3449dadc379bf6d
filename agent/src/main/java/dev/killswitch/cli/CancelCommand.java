package dev.killswitch.cli;

import dev.killswitch.control.KillswitchMXBean;

import java.io.PrintStream;
import java.util.List;

/** {@code cancel PID ID}: cancels the pending kill of a thread, which then runs on as if never asked. */
final class CancelCommand implements TargetCommand {
    @Override
    public int run(String pid, List<String> args, KillswitchMXBean control, PrintStream out) throws CliException {
        if (args.size() != 1 || !args.get(0).matches("\\d{1,18}")) {
            throw new CliException(ExitCodes.USAGE, "cancel takes one thread id after the process id"
                    + " (java -jar killswitch-agent.jar threads " + pid + " lists them)");
        }
        long id = Long.parseLong(args.get(0));
        String answer = control.cancelKill(id);
        out.println(answer);
        return answer.contains("is cancelled") ? ExitCodes.OK
                : answer.startsWith("no live thread") ? ExitCodes.NO_SUCH_THREAD : ExitCodes.NOT_DEAD;
    }
}
