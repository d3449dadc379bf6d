/**
 * Catch and finally blocks: a kill a block caught is raised again where it ends, and a pending kill waits
 * until cleanup code has run ({@link dev.killswitch.runtime.cleanup.BlockEnds}, {@link
 * dev.killswitch.runtime.cleanup.Unwinding}, {@link dev.killswitch.runtime.cleanup.CleanupRegions}).
 * Rewritten by {@code dev.killswitch.instrument.cleanup}.
 */
package dev.killswitch.runtime.cleanup;
