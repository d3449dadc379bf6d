/**
 * Where kills are requested from outside the application: the JMX MXBean
 * {@code dev.killswitch:type=Killswitch}, which every JMX client can use (open types only), and the
 * thread lookups and reports behind it. The command-line tool's commands ({@code dev.killswitch.cli}) run
 * against the same object, in the JVM, without JMX.
 */
package dev.killswitch.control;
