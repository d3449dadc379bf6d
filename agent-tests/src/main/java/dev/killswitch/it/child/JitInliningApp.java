package dev.killswitch.it.child;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;

/**
 * Links many kill-point switches first, as a large program does while it loads (one fixture class, loaded again and
 * again in fresh class loaders, each load with new switches), then runs a hot loop for C2 to compile. Run with
 * {@code -XX:+PrintInlining}, the JIT says whether it inlined the kill points of that loop.
 *
 * <pre>JitInliningApp FIXTURES_DIR LOADS</pre>
 */
public final class JitInliningApp {
    private JitInliningApp() {
    }

    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args[0]);
        int loads = Integer.parseInt(args[1]);
        long sum = 0;
        for (int i = 0; i < loads; i++) {
            Class<?> c = Class.forName("com.acme.jit.Callees", true, Loaders.create("child-first", fixtures));
            sum += (Integer) c.getMethod("runAll", int.class).invoke(null, i);
        }
        Report.line("LINKED", Map.of("loads", loads, "sum", sum));
        Method hot = Class.forName("com.acme.jit.Callees").getMethod("hot", long.class);
        for (int round = 0; round < 50; round++) {
            sum += (Long) hot.invoke(null, 1_000_000L);
        }
        Report.line("HOT", Map.of("sum", sum));
    }
}
