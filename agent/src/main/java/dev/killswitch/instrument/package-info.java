/**
 * Where kill points are inserted: the class-file transformer and the ASM visitors that add a call
 * into {@link dev.killswitch.delivery.KillPoint} at each method entry and before each backward jump
 * (on the path that goes back) of the selected classes, redirect their blocking calls, and check where
 * their catch and finally blocks end ({@link dev.killswitch.instrument.CatchBlockExits}), marking that
 * cleanup code for the runtime ({@link dev.killswitch.instrument.CleanupRegionMarks}).
 */
package dev.killswitch.instrument;
