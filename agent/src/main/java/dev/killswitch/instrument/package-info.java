/**
 * Where bytecode is rewritten, hidden behind the agent's own loader. Each capability has a room here and
 * one of the same name under {@code dev.killswitch.runtime}: {@code killpoints} (kill points at method
 * entries and back-edges), {@code cleanup} (checks where catch and finally blocks end, and the marks of
 * cleanup code), {@code blocking} (redirected blocking calls), {@code retrofit} (stop-shim, interrupt-kills,
 * deadlines); {@code flow} is the control-flow analysis they share. This package holds what every
 * transformer uses: which classes are selected, the report of what was done, retransformation at attach.
 */
package dev.killswitch.instrument;
