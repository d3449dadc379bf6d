/**
 * Finds catch and finally blocks (and the copies of finally blocks) and checks where each ends
 * ({@link dev.killswitch.instrument.cleanup.CatchBlockExits}), and marks that cleanup code for the runtime
 * ({@link dev.killswitch.instrument.cleanup.CleanupRegionMarks}). Runtime: {@code dev.killswitch.runtime.cleanup}.
 */
package dev.killswitch.instrument.cleanup;
