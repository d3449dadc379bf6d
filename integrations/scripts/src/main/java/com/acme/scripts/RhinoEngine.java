package com.acme.scripts;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/**
 * One Rhino context and one global scope for every script. Interpreted mode runs scripts in
 * {@code org.mozilla.javascript.Interpreter}; compiled mode generates a class per script (and per function).
 */
final class RhinoEngine implements Engine {
    private final boolean interpreted;
    private Context cx;
    private Scriptable scope;

    RhinoEngine(boolean interpreted) {
        this.interpreted = interpreted;
    }

    @Override
    public void open(Host host) {
        cx = new ContextFactory().enterContext(); // stays entered: the worker thread runs every script
        cx.setInterpretedMode(interpreted);
        cx.setLanguageVersion(Context.VERSION_ES6);
        scope = cx.initStandardObjects();
        ScriptableObject.putProperty(scope, "host", Context.javaToJS(host, scope));
    }

    @Override
    public Object eval(String name, String source) {
        Object value = cx.evaluateString(scope, source, name, 1, null);
        return value instanceof Number && ((Number) value).doubleValue() == Math.rint(((Number) value).doubleValue())
                ? (Object) ((Number) value).longValue() : Context.toString(value);
    }

    @Override
    public Object global(String name) {
        Object value = ScriptableObject.getProperty(scope, name);
        return value == Scriptable.NOT_FOUND ? null : value;
    }

    @Override
    public String language() {
        return "js";
    }
}
