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
 * makes that method's kill points call {@link dev.killswitch.delivery.KillPoint#check}, which does
 * nothing in any other thread; in the victim, {@link dev.killswitch.delivery.Landing} decides whether
 * the kill lands there: not while cleanup code runs ({@link dev.killswitch.delivery.CleanupRegions},
 * {@link dev.killswitch.delivery.VictimStack}), in which case {@link dev.killswitch.delivery.BlockEnds},
 * where catch and finally blocks end, delivers it. Idle switches compile to nothing.
 */
package dev.killswitch.delivery;
