/**
 * Where catch and finally blocks end: a kill the block caught is raised again, and a kill that waited for the
 * cleanup code lands ({@link dev.killswitch.runtime.cleanup.BlockEnds}). Where that code is, is in {@code
 * registry.CleanupRegions}; which kills are unwinding, in {@code delivery.Unwinding}. Rewritten by {@code
 * dev.killswitch.instrument.cleanup}.
 */
package dev.killswitch.runtime.cleanup;
