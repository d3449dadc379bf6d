package dev.killswitch.integrations.flink;

import dev.killswitch.testsupport.ChildJvm;
import dev.killswitch.testsupport.Jdk;
import dev.killswitch.testsupport.Paths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Flink session cluster as Flink's own scripts start it: a JobManager JVM ({@code StandaloneSessionClusterEntrypoint})
 * and TaskManager JVMs ({@code TaskManagerRunner}), each given {@code --configDir} and {@code -Dkey=value} dynamic
 * properties, plus the user's client JVM, which submits the job's jar through the REST address. (ChildJvm puts the
 * module's classes on every class path too; Flink's user-code class loader, child-first, still loads the job's classes
 * from the submitted jar, which the test checks.)
 */
final class SessionCluster {
    private final Jdk jdk;
    private final Path configDir;
    private final int rpcPort = freePort();
    private final int restPort = freePort();

    SessionCluster(Jdk jdk, Path dir) {
        this.jdk = jdk;
        this.configDir = dir;
        try {
            Files.writeString(dir.resolve("config.yaml"), ""); // every setting is a dynamic property below
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ChildJvm jobManager() {
        List<String> args = common();
        args.add("-Djobmanager.memory.process.size=1g");
        return start(null, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", args);
    }

    /** A TaskManager with one slot, named {@code id}; {@code agentArgs} null for none (the agent goes on TaskManagers only). */
    ChildJvm taskManager(String id, String agentArgs) {
        List<String> args = common();
        args.add("-Dtaskmanager.numberOfTaskSlots=1");
        args.add("-Dtaskmanager.resource-id=" + id); // the name the JobManager's REST API lists it by
        // The memory and CPU figures that Flink's scripts compute (BashJavaUtils) and pass to every TaskManager:
        // TaskManagerRunner refuses to start without each of them.
        for (String kv : List.of("cpu.cores=1", "memory.task.heap.size=128m", "memory.task.off-heap.size=0m",
                "memory.network.min=64m", "memory.network.max=64m", "memory.managed.size=64m",
                "memory.framework.heap.size=128m", "memory.framework.off-heap.size=128m",
                "memory.jvm-metaspace.size=256m", "memory.jvm-overhead.min=192m", "memory.jvm-overhead.max=192m")) {
            args.add("-Dtaskmanager." + kv);
        }
        return start(agentArgs, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", args);
    }

    /** The user's client: the driver, submitting through the REST address with the jobs' jar. */
    ChildJvm client() {
        return start(null, "com.acme.flink.StuckJobsDriver",
                new ArrayList<>(List.of("remote", "localhost:" + restPort, jobJar().toString())));
    }

    /** The user's job jar: the package {@code com.acme.flink.jobs}, as {@code flink run} would ship it. */
    private Path jobJar() {
        Path classes = Paths.childClasses();
        Path jar = configDir.resolve("acme-jobs.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes.resolve("com/acme/flink/jobs"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    private List<String> common() {
        return new ArrayList<>(List.of("--configDir", configDir.toString(),
                "-Djobmanager.rpc.address=localhost", "-Djobmanager.rpc.port=" + rpcPort,
                "-Drest.address=localhost", "-Drest.port=" + restPort,
                // Flink's default watchdog waits 180 s; 5 s keeps the test short.
                "-Dtask.cancellation.timeout=5s", "-Dtask.cancellation.interval=1s"));
    }

    private ChildJvm start(String agentArgs, String main, List<String> args) {
        ChildJvm.Builder b = ChildJvm.with(jdk.require()).jvmArgs("-Duser.language=en", "-Duser.country=US") // log texts
                .jvmArgs("-Djava.io.tmpdir=" + configDir) // Flink's working files, left behind when a JVM is destroyed
                .classPath(Paths.engineClassPath())
                .main(main, args.toArray(String[]::new));
        return (agentArgs == null ? b.withoutAgent() : b.agentArgs(agentArgs)).start();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
