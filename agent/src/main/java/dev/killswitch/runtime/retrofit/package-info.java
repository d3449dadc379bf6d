/**
 * Kills that old code or a platform already asks for: {@code Thread.stop()} call sites ({@link
 * dev.killswitch.runtime.retrofit.StopShim}), interrupts turned into kills ({@link
 * dev.killswitch.runtime.retrofit.InterruptKills}) and per-method deadlines ({@link
 * dev.killswitch.runtime.retrofit.Deadlines}). Rewritten by {@code dev.killswitch.instrument.retrofit}.
 */
package dev.killswitch.runtime.retrofit;
