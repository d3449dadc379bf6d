/**
 * Where kill points are inserted: the class-file transformer and the ASM visitors that add a call
 * into {@link dev.killswitch.delivery.KillPoint} before each backward jump, at each method entry and
 * at each exception-handler entry of the selected classes.
 */
package dev.killswitch.instrument;
