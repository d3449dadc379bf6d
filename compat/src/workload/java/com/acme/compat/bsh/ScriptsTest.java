package com.acme.compat.bsh;

import bsh.EvalError;
import bsh.Interpreter;
import bsh.TargetError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScriptsTest {
    private final Interpreter bsh = new Interpreter();

    private Object eval(String script) throws EvalError {
        return bsh.eval(script);
    }

    @Test
    void arithmeticAndPrecedence() throws EvalError {
        assertEquals(7, eval("1 + 2 * 3"));
        assertEquals(9, eval("(1 + 2) * 3"));
        assertEquals(2.5, eval("5 / 2.0"));
        assertEquals(1L << 40, eval("1L << 40"));
        assertEquals(-8 >>> 28, eval("-8 >>> 28"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 1000, 10_000})
    void loopsOfEveryKindSumAlike(int n) throws EvalError {
        long expected = (long) n * (n - 1) / 2;
        bsh.set("n", n);
        assertEquals(expected, eval("long s = 0; for (int i = 0; i < n; i++) { s += i; } return s;"));
        assertEquals(expected, eval("long s = 0; int i = 0; while (i < n) { s += i; i++; } return s;"));
        assertEquals(expected, eval("long s = 0; int i = 0; if (n > 0) { do { s += i; i++; } while (i < n); } return s;"));
        assertEquals(expected, eval("long s = 0; int[] a = new int[n]; for (int i = 0; i < n; i++) { a[i] = i; }"
                + " for (int v : a) { s += v; } return s;"));
    }

    @Test
    void breakAndContinue() throws EvalError {
        long expected = 0;
        for (int i = 0; i < 100; i++) {
            if (i % 3 == 0) {
                continue;
            }
            if (i > 80) {
                break;
            }
            expected += i;
        }
        assertEquals(expected, eval("long s = 0; for (int i = 0; i < 100; i++) { if (i % 3 == 0) continue;"
                + " if (i > 80) break; s += i; } return s;"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 20})
    void recursiveScriptedMethods(int n) throws EvalError {
        eval("int fib(int n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }");
        eval("import java.math.BigInteger; BigInteger fact(int n) { return n <= 1 ? BigInteger.ONE"
                + " : BigInteger.valueOf(n).multiply(fact(n - 1)); }");
        assertEquals(fib(n), eval("fib(" + n + ")"));
        BigInteger fact = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            fact = fact.multiply(BigInteger.valueOf(i));
        }
        assertEquals(fact, eval("fact(" + n + ")"));
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    @Test
    void finallyRunsOnEveryPathOut() throws EvalError {
        // (BeanShell 2.0b4 loses a value returned from inside a try block with a finally, so the result goes through a variable.)
        eval("List log = new ArrayList();"
                + " int f(int mode) { int result = 0; try { if (mode == 1) throw new IllegalStateException(\"x\");"
                + " result = mode == 0 ? 1 : 3; } catch (IllegalStateException e) { log.add(\"caught\"); result = 2; }"
                + " finally { log.add(\"finally \" + mode); } return result; }");
        assertEquals(1, eval("f(0)"));
        assertEquals(2, eval("f(1)"));
        assertEquals(3, eval("f(2)"));
        assertEquals(List.of("finally 0", "caught", "finally 1", "finally 2"), eval("log"));
    }

    @Test
    void nestedTryInLoops() throws EvalError {
        Object result = eval("int ok = 0; int bad = 0; int fin = 0;"
                + " for (int i = 0; i < 50; i++) { try { try { if (i % 5 == 0) throw new RuntimeException(\"\" + i); ok++; }"
                + " finally { fin++; } } catch (RuntimeException e) { bad++; } }"
                + " return ok + \"/\" + bad + \"/\" + fin;");
        assertEquals("40/10/50", result);
    }

    @Test
    void exceptionsLeaveTheScriptWithTheirType() {
        TargetError e = assertThrows(TargetError.class, () -> eval("throw new java.io.IOException(\"disk\");"));
        assertInstanceOf(IOException.class, e.getTarget());
        assertEquals("disk", e.getTarget().getMessage());
        assertThrows(EvalError.class, () -> eval("undefinedMethod(1, 2);"));
        assertThrows(EvalError.class, () -> eval("int x = ;"));
    }

    @Test
    void switchStatements() throws EvalError {
        eval("String name(int d) { switch (d) { case 0: return \"zero\"; case 1: return \"one\"; case 2: case 3:"
                + " return \"few\"; default: return \"many\"; } }");
        StringBuilder expected = new StringBuilder();
        for (int d = 0; d < 6; d++) {
            expected.append(d == 0 ? "zero" : d == 1 ? "one" : d < 4 ? "few" : "many").append(',');
        }
        assertEquals(expected.toString(), eval("StringBuffer b = new StringBuffer(); for (int d = 0; d < 6; d++)"
                + " { b.append(name(d)).append(','); } return b.toString();"));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 30, 1000})
    void sieveOfEratosthenes(int n) throws EvalError {
        List<Integer> primes = new ArrayList<>();
        boolean[] composite = new boolean[n + 1];
        for (int i = 2; i <= n; i++) {
            if (!composite[i]) {
                primes.add(i);
                for (int j = i * i; j <= n; j += i) {
                    composite[j] = true;
                }
            }
        }
        bsh.set("n", n);
        assertEquals(primes, eval("List primes = new ArrayList(); boolean[] c = new boolean[n + 1];"
                + " for (int i = 2; i <= n; i++) { if (!c[i]) { primes.add(new Integer(i));"
                + " for (int j = i * i; j <= n; j += i) { c[j] = true; } } } return primes;"));
    }

    @Test
    void bubbleSortInAScript() throws EvalError {
        int[] data = {9, 3, 7, 1, 8, 2, 6, 5, 4, 0, 11, -3};
        bsh.set("a", data.clone());
        int[] sorted = (int[]) eval("for (int i = 0; i < a.length; i++) { for (int j = 0; j < a.length - 1 - i; j++) {"
                + " if (a[j] > a[j + 1]) { int t = a[j]; a[j] = a[j + 1]; a[j + 1] = t; } } } return a;");
        int[] expected = data.clone();
        Arrays.sort(expected);
        assertEquals(Arrays.toString(expected), Arrays.toString(sorted));
    }

    @Test
    void javaCollectionsFromScripts() throws EvalError {
        String text = "the quick brown fox jumps over the lazy dog the end";
        Map<String, Integer> expected = new HashMap<>();
        for (String w : text.split(" ")) {
            expected.merge(w, 1, Integer::sum);
        }
        bsh.set("text", text);
        assertEquals(expected, eval("Map m = new HashMap(); String[] words = text.split(\" \");"
                + " for (String w : words) { Integer c = (Integer) m.get(w); m.put(w, new Integer(c == null ? 1 : c.intValue() + 1)); }"
                + " return m;"));
        assertEquals(expected.keySet().stream().sorted().toList(), eval("List keys = new ArrayList(m.keySet());"
                + " Collections.sort(keys); return keys;"));
        assertEquals(String.join(",", new java.util.TreeSet<>(expected.keySet())),
                eval("StringBuffer b = new StringBuffer(); Iterator it = new TreeSet(m.keySet()).iterator();"
                        + " while (it.hasNext()) { b.append(it.next()); if (it.hasNext()) b.append(','); } return b.toString();"));
    }

    @Test
    void scriptedObjectsAndClosures() throws EvalError {
        eval("counter(start) { int count = start; next() { count++; return count; } return this; }");
        eval("c = counter(10); c.next(); c.next();");
        assertEquals(13, eval("c.next()"));
        assertEquals(1, eval("counter(0).next()"));
    }

    @Test
    void scriptsImplementJavaInterfaces() throws Exception {
        eval("int calls = 0; call() { calls++; return \"called \" + calls; }");
        @SuppressWarnings("unchecked")
        Callable<Object> callable = (Callable<Object>) bsh.getInterface(Callable.class);
        assertEquals("called 1", callable.call());
        assertEquals("called 2", callable.call());
        Runnable r = (Runnable) eval("return new Runnable() { run() { calls = calls + 10; } };");
        r.run();
        assertEquals(12, eval("calls"));
    }

    @Test
    void synchronizedBlocks() throws EvalError {
        assertEquals(100, eval("Object lock = new Object(); int n = 0; for (int i = 0; i < 100; i++)"
                + " { synchronized (lock) { n++; } } return n;"));
    }

    @Test
    void sourcedFiles(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("lib.bsh");
        Files.writeString(script, "square(x) { return x * x; }\nsumOfSquares(n) { s = 0; for (i = 1; i <= n; i++)"
                + " { s += square(i); } return s; }\n", StandardCharsets.UTF_8);
        bsh.source(script.toString());
        assertEquals(385, eval("sumOfSquares(10)"));
    }

    @Test
    void stringsAndCharacters() throws EvalError {
        String s = "Kill points, everywhere.";
        bsh.set("s", s);
        assertEquals(new StringBuilder(s).reverse().toString(), eval("StringBuffer b = new StringBuffer();"
                + " for (int i = s.length() - 1; i >= 0; i--) { b.append(s.charAt(i)); } return b.toString();"));
        long vowels = s.chars().filter(c -> "aeiouAEIOU".indexOf(c) >= 0).count();
        assertEquals((int) vowels, eval("int v = 0; for (char c : s.toCharArray()) { if (\"aeiouAEIOU\".indexOf(c) >= 0) v++; }"
                + " return v;"));
    }

    @Test
    void largeGeneratedScriptParses() throws EvalError {
        StringBuilder script = new StringBuilder("int total = 0;\n");
        int expected = 0;
        for (int i = 0; i < 300; i++) {
            script.append("int m").append(i).append("(int x) { if (x % 2 == 0) { return x + ").append(i)
                    .append("; } else { while (x > 3) { x = x - 2; } return x * ").append(i).append("; } }\n");
            script.append("total += m").append(i).append("(").append(i).append(");\n");
            int x = i;
            if (x % 2 == 0) {
                expected += x + i;
            } else {
                while (x > 3) {
                    x -= 2;
                }
                expected += x * i;
            }
        }
        script.append("return total;");
        assertEquals(expected, eval(script.toString()));
    }

    @Test
    void unboundedRecursionOverflowsTheStack() {
        assertThrows(StackOverflowError.class, () -> eval("down(n) { return down(n + 1); } down(0);"));
    }
}
