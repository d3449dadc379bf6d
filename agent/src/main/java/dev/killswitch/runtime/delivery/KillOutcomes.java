package dev.killswitch.runtime.delivery;

import dev.killswitch.KillHandle;

/**
 * Told how each kill request ended, once: delivered, cancelled, ended undelivered, or refused. Set by the agent
 * (a JFR event per kill), so that this core does not depend on the JDK's flight recorder. Called on the thread
 * that settled the request (the arming thread, or the requester for a refusal); it must be quick and must not
 * throw.
 */
public interface KillOutcomes {
    /**
     * @param kill the request, settled
     * @param requester who asked, as {@code thread N "name"}
     */
    void settled(KillHandle kill, String requester);
}
