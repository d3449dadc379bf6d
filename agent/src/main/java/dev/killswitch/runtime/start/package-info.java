/**
 * Starting the runtime: the one room that knows all the others, so that they need not know each other. It
 * loads what a victim needs before any kill ({@link dev.killswitch.runtime.start.RuntimeWarmUp}), connects the
 * rooms, and then switches kills on ({@link dev.killswitch.runtime.start.RuntimeStart}). Runtime only.
 */
package dev.killswitch.runtime.start;
