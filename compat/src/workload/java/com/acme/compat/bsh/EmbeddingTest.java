package com.acme.compat.bsh;

import bsh.servlet.BshServlet;
import org.apache.bsf.BSFManager;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BeanShell as it was embedded: behind a servlet and as a BSF scripting engine. */
class EmbeddingTest {

    @Test
    void theServletEvaluatesScriptsAndCapturesTheirOutput() throws Exception {
        // evalScript restores System.out and System.err in a finally block: a jsr/ret subroutine.
        Method evalScript = BshServlet.class.getDeclaredMethod("evalScript", String.class, StringBuffer.class, boolean.class,
                HttpServletRequest.class, HttpServletResponse.class);
        evalScript.setAccessible(true);
        StringBuffer output = new StringBuffer();
        Object result = evalScript.invoke(new BshServlet(), "for (i = 0; i < 3; i++) { print(\"line \" + i); } return 6 * 7;",
                output, true, null, null);
        assertEquals(42, result);
        assertTrue(output.toString().contains("line 2"), output.toString());
    }

    @Test
    void theBsfEngineEvaluatesScripts() throws Exception {
        BSFManager.registerScriptingEngine("beanshell", "bsh.util.BeanShellBSFEngine", new String[] {"bsh"});
        BSFManager manager = new BSFManager();
        assertEquals(3, manager.eval("beanshell", "sum", 0, 0, "1 + 2"));
        manager.declareBean("limit", 10, Integer.class);
        assertEquals(45, manager.eval("beanshell", "loop", 0, 0, "s = 0; for (i = 0; i < limit; i++) { s += i; } return s;"));
    }
}
