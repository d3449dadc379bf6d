package dev.killswitch.compat.child;

import bsh.Interpreter;

/** A BeanShell script that loops until told to stop: the loop is the interpreter's. */
public final class BeanShellSpinner implements Spinner {
    @Override
    public String loopPackage() {
        return "bsh.";
    }

    @Override
    public void spin(Spin spin) throws bsh.EvalError {
        Interpreter interpreter = new Interpreter();
        interpreter.set("spin", spin);
        interpreter.eval("n = 0; while (spin.keepGoing()) { n = n + 1; }");
    }
}
