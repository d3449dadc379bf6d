/**
 * The blocking calls of selected code, redirected here: each behaves as the original until a kill of its
 * thread is pending, then delivers it instead of the {@code InterruptedException} the caller might swallow.
 * Rewritten by {@code dev.killswitch.instrument.blocking}.
 */
package dev.killswitch.runtime.blocking;
