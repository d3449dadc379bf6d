/**
 * What instrumented code calls at its kill points (method entries and back-edges): {@link
 * dev.killswitch.runtime.killpoints.KillPoint}, the per-method switch that is idle until a kill is aimed
 * at the method, and the record of what was instrumented. Rewritten by {@code dev.killswitch.instrument.killpoints}.
 */
package dev.killswitch.runtime.killpoints;
