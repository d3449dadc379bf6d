/**
 * How a kill travels: the request and its handle, the pending kills, the thread that arms switches and
 * wakes victims ({@link dev.killswitch.runtime.delivery.SwitchArmer}), the victim's own decision to land
 * ({@link dev.killswitch.runtime.delivery.Landing}), refusals, statistics, and the one rule of which threads
 * are never killed ({@link dev.killswitch.runtime.delivery.SystemThreads}).
 */
package dev.killswitch.runtime.delivery;
