/**
 * Which blocking calls of selected code are redirected, and to what. Runtime: {@code dev.killswitch.runtime.blocking}.
 */
package dev.killswitch.instrument.blocking;
