/**
 * What instrumented code calls at its kill points (method entries and back-edges): {@link
 * dev.killswitch.runtime.killpoints.KillPoint}, the target of an armed method switch, which does nothing in any
 * thread but the victim, and {@link dev.killswitch.runtime.killpoints.JumpConditions} for kill points before
 * conditional jumps. The switches themselves are in {@code registry}. Rewritten by {@code
 * dev.killswitch.instrument.killpoints}.
 */
package dev.killswitch.runtime.killpoints;
