/**
 * The control-flow graph of a method and its dominator tree: general analysis the other rooms share.
 */
package dev.killswitch.instrument.flow;
