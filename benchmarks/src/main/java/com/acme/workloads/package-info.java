/**
 * The workloads section's drivers: real published libraries (the Kotlin compiler, Jackson, Commons Math) doing real
 * work in a child JVM, with the agent instrumenting the library whole or without it. Outside {@code dev.killswitch}
 * so that the agent may instrument the drivers too.
 */
package com.acme.workloads;
