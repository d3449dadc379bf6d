/**
 * Why a thread cannot die yet, in a sentence: where it is, whether it runs selected code, what it waits
 * for and who holds the monitor it waits on. Runtime only: used by handles, JMX and the command-line tool.
 */
package dev.killswitch.runtime.diagnosis;
