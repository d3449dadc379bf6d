package com.acme.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.StuckThreadDetectionValve;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

/**
 * An embedded Tomcat with a servlet that spins for ever, watched by the StuckThreadDetectionValve configured as its
 * documentation says: reported stuck after 1 s, interrupted after 2 s. {@code /spin} spins, {@code /hello} answers at
 * once, {@code /stuck} says how many threads the valve holds for stuck. The connector has one request thread, so
 * the next request is served by the thread a kill freed. Prints {@code @@ READY port=N}.
 */
public final class StuckServer {
    static volatile long spins;
    static StuckThreadDetectionValve valve;

    private StuckServer() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        File base = Files.createTempDirectory("stuck-server").toFile();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("maxThreads", "1"); // one request thread: the one the kill frees serves the next
        Context context = tomcat.addContext("", base.getAbsolutePath());
        valve = new StuckThreadDetectionValve();
        valve.setThreshold(1);
        valve.setInterruptThreadThreshold(2);
        context.getPipeline().addValve(valve);
        context.setBackgroundProcessorDelay(1); // the valve looks every second
        Tomcat.addServlet(context, "spin", new SpinServlet());
        context.addServletMappingDecoded("/spin", "spin");
        Tomcat.addServlet(context, "hello", new HelloServlet());
        context.addServletMappingDecoded("/hello", "hello");
        Tomcat.addServlet(context, "stuck", new StuckServlet());
        context.addServletMappingDecoded("/stuck", "stuck");
        tomcat.start();
        System.out.println("@@ READY\tport=" + tomcat.getConnector().getLocalPort());
        System.out.flush();
        tomcat.getServer().await();
    }

    /** A request that never ends by itself: user code in a loop that ignores interrupts. */
    public static final class SpinServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            System.out.println("@@ SPINNING\tthread=" + Thread.currentThread().getName());
            System.out.flush();
            try {
                while (true) {
                    spins++;
                }
            } finally {
                System.out.println("@@ FINALLY\tthread=" + Thread.currentThread().getName());
                System.out.flush();
            }
        }
    }

    public static final class HelloServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("hello from " + Thread.currentThread().getName());
        }
    }

    public static final class StuckServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write(Integer.toString(valve.getStuckThreadIds().length));
        }
    }
}
