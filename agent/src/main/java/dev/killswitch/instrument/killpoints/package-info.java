/**
 * The kill-point transformer: inserts a call into {@code dev.killswitch.runtime.killpoints.KillPoint} at each
 * method entry and before each backward jump (on the path that goes back) of the selected classes, and drives
 * the other rooms (blocking calls, cleanup checks) over the same class.
 */
package dev.killswitch.instrument.killpoints;
