/**
 * Programs that the tests start in child JVMs with the agent attached. They play the application:
 * they run fixture code, kill threads through the public API and report what happened on standard
 * output, one line per event, each line starting with {@code @@} and its fields separated by tabs.
 * They live under {@code dev.killswitch}, which the agent never instruments, so only the fixtures
 * ({@code com.acme.*}) get kill points.
 */
package dev.killswitch.it.child;
