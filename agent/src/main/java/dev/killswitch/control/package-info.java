/**
 * Where kills are requested from outside the application: the JMX MXBean
 * {@code dev.killswitch:type=Killswitch}, which every JMX client can use (open types only), and the
 * thread lookups and reports behind it. The command-line tool ({@code dev.killswitch.cli}) talks to it.
 */
package dev.killswitch.control;
