/**
 * The rewriting half of instrumenting on demand: which classes a kill may instrument ({@link
 * dev.killswitch.instrument.ondemand.OnDemandClasses}, asked by the kill-point transformer) and the
 * retransformation of those on a victim's stack ({@link dev.killswitch.instrument.ondemand.StackInstrumenter}),
 * which the runtime calls through {@code dev.killswitch.runtime.ondemand.OnDemand}.
 */
package dev.killswitch.instrument.ondemand;
