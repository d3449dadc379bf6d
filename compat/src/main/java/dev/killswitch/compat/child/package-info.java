/**
 * What runs inside the child JVMs the compatibility harness starts: a launcher that runs a library's own test suite
 * with the JUnit Platform console launcher, a spinner thread looping in that library's code, the listener that kills
 * the spinner halfway through the suite, and a sweep that loads and links every class of the library and its tests.
 * The agent never instruments this package ({@code dev.killswitch.**} is never selected), so the kill can only land
 * in the library's own code.
 */
package dev.killswitch.compat.child;
