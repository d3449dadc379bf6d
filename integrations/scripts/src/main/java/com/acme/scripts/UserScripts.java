package com.acme.scripts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scripts users write, in Groovy and JavaScript: runaways (each says {@code host.running()} once it is under way
 * and calls {@code host.finallyRan()} from its own finally) and small correct scripts with known answers.
 */
final class UserScripts {
    private UserScripts() {
    }

    /** A runaway script by name: loop, recursion, deep (to {@code depth} frames fast, then slowly), engine, catchall. */
    static String runaway(String language, String name, long depth) {
        String source = ("groovy".equals(language) ? GROOVY_RUNAWAYS : JS_RUNAWAYS).get(name);
        if (source == null) {
            throw new IllegalArgumentException("no runaway " + name + " in " + language);
        }
        return source.replace("DEPTH", Long.toString(depth));
    }

    private static final Map<String, String> GROOVY_RUNAWAYS = Map.of(
            "loop", String.join("\n",
                    "def i = 0L",
                    "try {",
                    "  host.running()",
                    "  while (true) { i++ }",
                    "} finally { host.finallyRan() }"),
            // No base case: each call records its depth in the binding, which the host reads afterwards.
            "recursion", String.join("\n",
                    "depth = 0L",
                    "def down(long n) { depth = n; if (n == 100) host.running(); down(n + 1) }",
                    "try { down(1) } finally { host.finallyRan() }"),
            // Recursion to DEPTH frames at full speed, then on with a loop of work in each frame: the kill meets a
            // stack DEPTH deep, and the recursion goes on slowly enough not to reach the stack's end first.
            "deep", String.join("\n",
                    "depth = 0L",
                    "def down(long n) {",
                    "  depth = n",
                    "  if (n >= DEPTH) {",
                    "    if (n == DEPTH) host.running()",
                    "    long w = 0; while (w < 1000000L) { w++ }",
                    "  }",
                    "  down(n + 1)",
                    "}",
                    "try { down(1) } finally { host.finallyRan() }"),
            // Most of its time in the engine itself: compiling classes, changing String's shared meta class.
            "engine", String.join("\n",
                    "def i = 0L",
                    "try {",
                    "  host.running()",
                    "  while (true) {",
                    "    i++",
                    "    evaluate(\"class Gen${i} { int twice(int v) { v * 2 } }; new Gen${i}().twice(${i})\")",
                    "    String.metaClass.\"extra${i % 20}\" = { -> delegate.size() }",
                    "  }",
                    "} finally { host.finallyRan() }"),
            "catchall", String.join("\n",
                    "def i = 0L",
                    "try {",
                    "  host.running()",
                    "  while (true) {",
                    "    try { while (true) { i++ } } catch (Throwable t) { host.caught() }",
                    "  }",
                    "} finally { host.finallyRan() }"));

    private static final Map<String, String> JS_RUNAWAYS = Map.of(
            "loop", String.join("\n",
                    "var i = 0;",
                    "try {",
                    "  host.running();",
                    "  while (true) { i++; }",
                    "} finally { host.finallyRan(); }"),
            // Not a tail call (1 + ...), so no engine can turn it into a loop.
            "recursion", String.join("\n",
                    "var depth = 0;",
                    "function down(n) { depth = n; if (n == 100) host.running(); return 1 + down(n + 1); }",
                    "try { down(1); } finally { host.finallyRan(); }"),
            "deep", String.join("\n",
                    "var depth = 0;",
                    "function down(n) {",
                    "  depth = n;",
                    "  if (n >= DEPTH) {",
                    "    if (n == DEPTH) host.running();",
                    "    for (var w = 0; w < 1000000; w++) { }",
                    "  }",
                    "  return 1 + down(n + 1);",
                    "}",
                    "try { down(1); } finally { host.finallyRan(); }"),
            // Most of its time in the engine itself: the global object's slots grow and shrink, the compiler runs.
            "engine", String.join("\n",
                    "var i = 0;",
                    "try {",
                    "  host.running();",
                    "  while (true) {",
                    "    i++;",
                    "    this['k' + (i % 4000)] = i;",
                    "    delete this['k' + ((i + 2000) % 4000)];",
                    "    new Function('x', 'return x + ' + i)(1);",
                    "  }",
                    "} finally { host.finallyRan(); }"),
            "catchall", String.join("\n",
                    "var i = 0;",
                    "try {",
                    "  host.running();",
                    "  while (true) {",
                    "    try { while (true) { i++; } } catch (e) { host.caught(); }",
                    "  }",
                    "} finally { host.finallyRan(); }"));

    /** Small correct scripts and their answers (as the host prints them), run on the engine after kills. */
    static Map<String, String> checks(String language) {
        Map<String, String> checks = new LinkedHashMap<>();
        if ("groovy".equals(language)) {
            checks.put("1 + 2", "3");
            checks.put("[1, 2, 3].collect { it * 2 }.sum()", "12");
            checks.put("def s = 0; for (k in 0..<1000) { s += k }; s", "499500");
            checks.put("'abc'.toUpperCase() + 'x' * 2", "ABCxx");
            checks.put("class Pair { int v; int twice() { v * 2 } }; new Pair(v: 21).twice()", "42");
            checks.put("def f(n) { n <= 1 ? 1 : n * f(n - 1) }; f(10)", "3628800");
            checks.put("def i = 0L; while (i < 1000000L) { i++ }; i", "1000000");
            checks.put("host.caught(); [a: 1, b: 2].collect { k, v -> k + v }.join(',')", "a1,b2");
            checks.put("evaluate('class Checked { int twice(int v) { v * 2 } }; new Checked().twice(21)')", "42");
            checks.put("def n = 2; \"n=${n}\".toString()", "n=2");
            checks.put("String.metaClass.checked = { -> delegate.size() }; 'abcd'.checked()", "4");
        } else {
            checks.put("1 + 2", "3");
            checks.put("[1, 2, 3].map(function (x) { return x * 2; }).reduce(function (a, b) { return a + b; }, 0)", "12");
            checks.put("var s = 0; for (var k = 0; k < 1000; k++) { s += k; } s", "499500");
            checks.put("'abc'.toUpperCase() + 'x'.repeat(2)", "ABCxx");
            checks.put("var o = { v: 21, twice: function () { return this.v * 2; } }; o.twice()", "42");
            checks.put("function f(n) { return n <= 1 ? 1 : n * f(n - 1); } f(10)", "3628800");
            checks.put("var i = 0; while (i < 1000000) { i++; } i", "1000000");
            checks.put("host.caught(); var m = {a: 1, b: 2}; Object.keys(m).map(function (k) { return k + m[k]; }).join(',')", "a1,b2");
            checks.put("new Function('x', 'return x * 2')(21)", "42");
            checks.put("var t = 0; for (var k = 0; k < 4000; k++) { this['c' + k] = k; }"
                    + " for (k = 0; k < 4000; k++) { t += this['c' + k]; delete this['c' + k]; } t", "7998000");
        }
        return checks;
    }

    /** A bounded loop of n steps, timed with and without the agent. */
    static String bench(String language, long n) {
        return "groovy".equals(language)
                ? "def i = 0L; while (i < " + n + "L) { i++ }; i"
                : "var i = 0; while (i < " + n + ") { i++; } i";
    }
}
