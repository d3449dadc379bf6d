/**
 * A workload for BeanShell 2.0b4, whose class files (Java 1.2) use jsr/ret subroutines for finally blocks: in its
 * parser (every grammar production), in block evaluation and in the try statement. These tests drive the interpreter
 * through loops, recursion, exceptions, finally blocks, switch, scripted objects and sourced files, and check each
 * answer against the same computation done in Java.
 */
package com.acme.compat.bsh;
