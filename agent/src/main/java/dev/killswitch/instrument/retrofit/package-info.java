/**
 * The retrofits' transformers: {@code Thread.stop()} call sites, the {@code Thread.interrupt} hook, and
 * methods with a deadline, with their installer. Runtime: {@code dev.killswitch.runtime.retrofit}.
 */
package dev.killswitch.instrument.retrofit;
