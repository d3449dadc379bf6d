/**
 * What the transformer recorded about the code it changed, read by every other room: which classes are
 * instrumented and with how many kill points ({@link dev.killswitch.runtime.registry.InstrumentedClasses}),
 * the switch of each method, idle until a kill is aimed at it ({@link dev.killswitch.runtime.registry.MethodSwitch},
 * {@link dev.killswitch.runtime.registry.SwitchRegistry}), and where each method's cleanup code is ({@link
 * dev.killswitch.runtime.registry.CleanupRegions}). Depends on no other room.
 */
package dev.killswitch.runtime.registry;
