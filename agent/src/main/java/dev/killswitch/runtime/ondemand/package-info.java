/**
 * The runtime's half of instrumenting on demand: when a kill finds its victim running code that nobody
 * selected, it asks here for the classes of that code to be given kill points. How is the agent's to say
 * ({@code dev.killswitch.instrument.ondemand}, which holds the JVM's {@code Instrumentation}); this room only
 * keeps the hand-over and its answers. Depends on the registry only.
 */
package dev.killswitch.runtime.ondemand;
