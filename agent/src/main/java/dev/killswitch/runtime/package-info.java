/**
 * The bootstrap runtime: everything under this package root is defined by the bootstrap loader, so that
 * instrumented classes in every class loader reach it, and nothing else of the agent is (see {@link
 * dev.killswitch.runtime.RuntimePackages}). Internal, not API: public only because generated code and the
 * agent must reach it. Keep it small and free of dependencies: it runs inside every application the agent
 * is attached to. The methods that change the agent's state answer only the agent ({@link
 * dev.killswitch.runtime.AgentOnly}).
 *
 * <p>Each capability has a room here and one of the same name under {@code dev.killswitch.instrument},
 * where its bytecode is rewritten: {@code killpoints}, {@code cleanup}, {@code blocking}, {@code retrofit};
 * {@code registry} (what the transformer recorded), {@code diagnosis} (why a thread cannot die yet), {@code
 * delivery} (how a kill travels) and {@code start} (switching it all on) are runtime only. The rooms are layers
 * in that order, the capabilities above {@code delivery}, and none uses a room above it.
 *
 * <p>How a kill travels: {@link dev.killswitch.Killswitch#kill} comes to {@link
 * dev.killswitch.runtime.delivery.KillRuntime#kill}, which records a {@link
 * dev.killswitch.runtime.delivery.KillRequest} and hands it to the {@link
 * dev.killswitch.runtime.delivery.SwitchArmer} thread; that samples the victim's stack (its top first, {@link
 * dev.killswitch.runtime.delivery.StackSamples}) and arms the {@link dev.killswitch.runtime.registry.MethodSwitch}
 * of one selected method on it, the one that costs other threads least ({@link
 * dev.killswitch.runtime.delivery.WhatToArm}), or of each, if that does not do. An armed switch makes that
 * method's kill points call {@link dev.killswitch.runtime.killpoints.KillPoint}, which does nothing in any
 * other thread; in the victim, {@link dev.killswitch.runtime.delivery.Landing} decides whether the kill lands
 * there: not while cleanup code runs ({@link dev.killswitch.runtime.registry.CleanupRegions}), in which case
 * {@link dev.killswitch.runtime.cleanup.BlockEnds}, where catch and finally blocks end, delivers it. Idle
 * switches compile to nothing.
 */
package dev.killswitch.runtime;
