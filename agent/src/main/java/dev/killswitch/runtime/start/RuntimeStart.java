package dev.killswitch.runtime.start;

import dev.killswitch.runtime.AgentOnly;
import dev.killswitch.runtime.blocking.BlockingIo;
import dev.killswitch.runtime.delivery.KillRuntime;
import dev.killswitch.runtime.delivery.SwitchArmer;

/**
 * Switches the runtime on, once the agent can insert kill points. It is the one class that knows every room
 * of the runtime, so that the rooms below need not know each other: it loads what a victim will need, connects
 * the blocking calls to the thread that wakes victims, and only then lets kills in.
 */
public final class RuntimeStart {

    private RuntimeStart() {
    }

    /**
     * Called by the agent once kill points can be inserted.
     *
     * @param debugOutput true to print what the arming thread does for each kill
     */
    public static void activate(boolean debugOutput) {
        AgentOnly.check(AgentOnly.CALLER.getCallerClass(), "switch the killswitch agent on");
        RuntimeWarmUp.run();
        SwitchArmer.closeWaitsWith(new BlockingIo.WaitCloser());
        KillRuntime.activate(debugOutput);
    }
}
