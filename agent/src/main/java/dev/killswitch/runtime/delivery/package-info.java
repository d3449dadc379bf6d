/**
 * How a kill travels: the request and its handle, the pending kills, the thread that arms switches ({@link
 * dev.killswitch.runtime.delivery.SwitchArmer}) and ends the waits of victims ({@link
 * dev.killswitch.runtime.delivery.WaitEnder}), the victim's own decision to land
 * ({@link dev.killswitch.runtime.delivery.Landing}), the kills that landed and are unwinding ({@link
 * dev.killswitch.runtime.delivery.Unwinding}), refusals, statistics, and the one rule of which threads are
 * never killed ({@link dev.killswitch.runtime.delivery.SystemThreads}). Uses {@code registry} and {@code
 * diagnosis} only; the rooms above hand it what it must call in them (see {@code start.RuntimeStart}).
 */
package dev.killswitch.runtime.delivery;
