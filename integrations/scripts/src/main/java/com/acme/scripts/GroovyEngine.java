package com.acme.scripts;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;

/**
 * One GroovyShell for every script, as an application that lets users type scripts keeps one. Each
 * {@code evaluate(String)} compiles a class named {@code Script1}, {@code Script2}, ... in the default package, its
 * closures {@code Script1$_run_closure1}; the variables of the shared Binding are the scripts' globals.
 */
final class GroovyEngine implements Engine {
    private GroovyShell shell;
    private Binding binding;

    @Override
    public void open(Host host) {
        binding = new Binding();
        binding.setVariable("host", host);
        shell = new GroovyShell(binding);
    }

    @Override
    public Object eval(String name, String source) {
        return shell.evaluate(source);
    }

    @Override
    public Object global(String name) {
        return binding.hasVariable(name) ? binding.getVariable(name) : null;
    }

    @Override
    public String language() {
        return "groovy";
    }
}
