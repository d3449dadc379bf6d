/**
 * Where kills are delivered: the runtime that instrumented code calls at every kill point.
 *
 * <p>Internal, not API. These classes are public only because instrumented classes in any class
 * loader must reach them; the agent puts them on the bootstrap class path. Keep this package small
 * and free of dependencies: it runs inside every application the agent is attached to.
 *
 * <p>How a kill travels: {@link dev.killswitch.Killswitch#kill} records a {@link
 * dev.killswitch.delivery.KillRequest} in {@link dev.killswitch.delivery.PendingKills} and hands it
 * to the {@link dev.killswitch.delivery.Deliverer} thread, which samples the victim's stack and arms
 * the {@link dev.killswitch.delivery.MethodSwitch} of each selected method on it. An armed switch
 * makes that method's kill points call {@link dev.killswitch.delivery.KillPoint#check}, which throws
 * in the victim and does nothing in any other thread. Idle switches compile to nothing.
 */
package dev.killswitch.delivery;
