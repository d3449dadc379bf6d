package dev.killswitch.instrument.blocking;

import dev.killswitch.runtime.blocking.BlockingCalls;
import dev.killswitch.runtime.blocking.BlockingIo;
import dev.killswitch.runtime.blocking.BlockingSynchronizers;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.HashMap;
import java.util.Map;

/**
 * The blocking calls of the JDK that selected classes have redirected to the kill-aware runtime
 * methods of {@code dev.killswitch.runtime.blocking.BlockingCalls}, {@code BlockingSynchronizers} and {@code BlockingIo}. A call site is
 * matched by the owner, name and descriptor its instruction names, so nothing is loaded: the owner must
 * be the JDK type itself or one of the JDK's implementations listed here (a call on an application
 * subclass of a JDK queue, say, is not redirected). {@code Object.wait} is final, so it is matched on
 * any receiver type.
 *
 * <p>In class files of Java 7 and later the redirected call is an {@code invokedynamic} that each runtime class's
 * {@code link} binds to the runtime method for good, so that each call site keeps a profile of its own (see
 * {@code RedirectLinks}); older class files, which have no {@code invokedynamic}, get a static call.
 */
public final class BlockingCallSites {
    private static final String CALLS = Type.getInternalName(BlockingCalls.class);
    private static final String SYNCS = Type.getInternalName(BlockingSynchronizers.class);
    private static final String IO = Type.getInternalName(BlockingIo.class);
    private static final String JUC = "java/util/concurrent/";
    private static final String LOCKS = "java/util/concurrent/locks/";
    private static final String TIME_UNIT = "Ljava/util/concurrent/TimeUnit;";
    /** The bootstrap of each runtime class's redirects. */
    static final String LINK = "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
            + "Ljava/lang/invoke/CallSite;";

    /** The call of the runtime method that replaces a blocking call: same operands in, same result out. */
    public static final class Redirect {
        public final String owner;
        public final String name;
        public final String descriptor;

        Redirect(String owner, String name, String descriptor) {
            this.owner = owner;
            this.name = name;
            this.descriptor = descriptor;
        }

        /** Emits the call: an {@code invokedynamic} if {@code dynamic} (class files of Java 7 and later), else a static call. */
        public void emit(MethodVisitor mv, boolean dynamic) {
            if (dynamic) {
                mv.visitInvokeDynamicInsn(name, descriptor, new Handle(Opcodes.H_INVOKESTATIC, owner, "link", LINK, false));
            } else {
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, name, descriptor, false);
            }
        }

        @Override
        public String toString() {
            return owner + "." + name + descriptor;
        }
    }

    private static final Map<String, Redirect> BY_SITE = new HashMap<>();
    private static final Map<String, Redirect> ON_ANY_RECEIVER = new HashMap<>();

    static {
        staticCalls("java/lang/Thread", CALLS, "sleep", "(J)V", "(JI)V");
        staticCalls(LOCKS + "LockSupport", CALLS, "park", "()V", "(Ljava/lang/Object;)V");
        staticCalls(LOCKS + "LockSupport", CALLS, "parkNanos", "(J)V", "(Ljava/lang/Object;J)V");
        staticCalls(LOCKS + "LockSupport", CALLS, "parkUntil", "(J)V", "(Ljava/lang/Object;J)V");

        instanceCalls("java/lang/Thread", new String[] {"java/lang/Thread"}, CALLS, "join", "()V", "(J)V", "(JI)V");
        instanceCalls(JUC + "TimeUnit", new String[] {JUC + "TimeUnit"}, CALLS, "sleep", "(J)V");
        instanceCalls(JUC + "TimeUnit", new String[] {JUC + "TimeUnit"}, CALLS, "timedJoin", "(Ljava/lang/Thread;J)V");
        instanceCalls(JUC + "TimeUnit", new String[] {JUC + "TimeUnit"}, CALLS, "timedWait", "(Ljava/lang/Object;J)V");
        for (String d : new String[] {"()V", "(J)V", "(JI)V"}) {
            ON_ANY_RECEIVER.put("wait" + d, new Redirect(CALLS, "wait", receiverFirst("java/lang/Object", d)));
        }

        String[] queues = jdk(JUC, "BlockingQueue", "BlockingDeque", "TransferQueue", "ArrayBlockingQueue", "LinkedBlockingQueue",
                "LinkedBlockingDeque", "PriorityBlockingQueue", "SynchronousQueue", "LinkedTransferQueue");
        instanceCalls(JUC + "BlockingQueue", queues, CALLS, "take", "()Ljava/lang/Object;");
        instanceCalls(JUC + "BlockingQueue", queues, CALLS, "put", "(Ljava/lang/Object;)V");
        instanceCalls(JUC + "BlockingQueue", queues, CALLS, "poll", "(J" + TIME_UNIT + ")Ljava/lang/Object;");
        instanceCalls(JUC + "BlockingQueue", queues, CALLS, "offer", "(Ljava/lang/Object;J" + TIME_UNIT + ")Z");
        String[] delayQueue = {JUC + "DelayQueue"};
        instanceCalls(JUC + "DelayQueue", delayQueue, CALLS, "take", "()Ljava/util/concurrent/Delayed;");
        instanceCalls(JUC + "DelayQueue", delayQueue, CALLS, "poll", "(J" + TIME_UNIT + ")Ljava/util/concurrent/Delayed;");
        String[] transferQueues = jdk(JUC, "TransferQueue", "LinkedTransferQueue");
        instanceCalls(JUC + "TransferQueue", transferQueues, CALLS, "transfer", "(Ljava/lang/Object;)V");
        instanceCalls(JUC + "TransferQueue", transferQueues, CALLS, "tryTransfer", "(Ljava/lang/Object;J" + TIME_UNIT + ")Z");

        String[] futures = jdk(JUC, "Future", "RunnableFuture", "ScheduledFuture", "RunnableScheduledFuture", "FutureTask",
                "CompletableFuture", "ForkJoinTask", "RecursiveTask", "RecursiveAction", "CountedCompleter");
        instanceCalls(JUC + "Future", futures, CALLS, "get", "()Ljava/lang/Object;", "(J" + TIME_UNIT + ")Ljava/lang/Object;");
        instanceCalls(JUC + "CompletableFuture", new String[] {JUC + "CompletableFuture"}, CALLS, "join", "()Ljava/lang/Object;");
        instanceCalls(JUC + "ExecutorService", jdk(JUC, "ExecutorService", "ScheduledExecutorService", "AbstractExecutorService",
                "ThreadPoolExecutor", "ScheduledThreadPoolExecutor", "ForkJoinPool"), CALLS, "awaitTermination", "(J" + TIME_UNIT + ")Z");
        instanceCalls("java/lang/Process", new String[] {"java/lang/Process"}, CALLS, "waitFor", "()I", "(J" + TIME_UNIT + ")Z");

        String[] latch = {JUC + "CountDownLatch"};
        instanceCalls(JUC + "CountDownLatch", latch, SYNCS, "await", "()V", "(J" + TIME_UNIT + ")Z");
        String[] barrier = {JUC + "CyclicBarrier"};
        instanceCalls(JUC + "CyclicBarrier", barrier, SYNCS, "await", "()I", "(J" + TIME_UNIT + ")I");
        String[] phaser = {JUC + "Phaser"};
        instanceCalls(JUC + "Phaser", phaser, SYNCS, "awaitAdvance", "(I)I");
        instanceCalls(JUC + "Phaser", phaser, SYNCS, "awaitAdvanceInterruptibly", "(I)I", "(IJ" + TIME_UNIT + ")I");
        String[] semaphore = {JUC + "Semaphore"};
        instanceCalls(JUC + "Semaphore", semaphore, SYNCS, "acquire", "()V", "(I)V");
        instanceCalls(JUC + "Semaphore", semaphore, SYNCS, "tryAcquire", "(J" + TIME_UNIT + ")Z", "(IJ" + TIME_UNIT + ")Z");
        instanceCalls(JUC + "Semaphore", semaphore, SYNCS, "acquireUninterruptibly", "()V", "(I)V");
        String[] locks = jdk(LOCKS, "Lock", "ReentrantLock", "ReentrantReadWriteLock$ReadLock", "ReentrantReadWriteLock$WriteLock");
        instanceCalls(LOCKS + "Lock", locks, SYNCS, "lock", "()V");
        instanceCalls(LOCKS + "Lock", locks, SYNCS, "lockInterruptibly", "()V");
        instanceCalls(LOCKS + "Lock", locks, SYNCS, "tryLock", "(J" + TIME_UNIT + ")Z");
        String[] conditions = jdk(LOCKS, "Condition", "AbstractQueuedSynchronizer$ConditionObject",
                "AbstractQueuedLongSynchronizer$ConditionObject");
        instanceCalls(LOCKS + "Condition", conditions, SYNCS, "await", "()V", "(J" + TIME_UNIT + ")Z");
        instanceCalls(LOCKS + "Condition", conditions, SYNCS, "awaitNanos", "(J)J");
        instanceCalls(LOCKS + "Condition", conditions, SYNCS, "awaitUntil", "(Ljava/util/Date;)Z");
        instanceCalls(LOCKS + "Condition", conditions, SYNCS, "awaitUninterruptibly", "()V");
        instanceCalls(JUC + "Exchanger", new String[] {JUC + "Exchanger"}, SYNCS, "exchange",
                "(Ljava/lang/Object;)Ljava/lang/Object;", "(Ljava/lang/Object;J" + TIME_UNIT + ")Ljava/lang/Object;");

        instanceCalls("java/net/ServerSocket", new String[] {"java/net/ServerSocket", "javax/net/ssl/SSLServerSocket"}, IO,
                "accept", "()Ljava/net/Socket;");
        instanceCalls("java/net/Socket", new String[] {"java/net/Socket", "javax/net/ssl/SSLSocket"}, IO,
                "getInputStream", "()Ljava/io/InputStream;");
        instanceCalls("java/nio/channels/ReadableByteChannel", jdk("java/nio/channels/", "ReadableByteChannel", "ByteChannel",
                "ScatteringByteChannel", "SeekableByteChannel", "SocketChannel", "Pipe$SourceChannel", "FileChannel"), IO,
                "read", "(Ljava/nio/ByteBuffer;)I");
        instanceCalls("java/nio/channels/Selector", new String[] {"java/nio/channels/Selector", "java/nio/channels/spi/AbstractSelector"},
                IO, "select", "()I", "(J)I");
        instanceCalls("java/io/InputStream", jdk("java/io/", "InputStream", "PipedInputStream", "FileInputStream", "FilterInputStream",
                "BufferedInputStream", "DataInputStream", "PushbackInputStream", "ObjectInputStream", "SequenceInputStream"), IO,
                "read", "()I", "([B)I", "([BII)I");
    }

    private BlockingCallSites() {
    }

    /**
     * The redirection of a call instruction, or null to leave it. Calls through {@code invokespecial}
     * ({@code super.take()} in a subclass) are never redirected.
     */
    public static Redirect lookup(int opcode, String owner, String name, String descriptor) {
        if (opcode == Opcodes.INVOKESPECIAL) {
            return null;
        }
        Redirect r = BY_SITE.get(key(opcode == Opcodes.INVOKESTATIC, owner, name, descriptor));
        if (r == null && opcode == Opcodes.INVOKEVIRTUAL) {
            r = ON_ANY_RECEIVER.get(name + descriptor);
        }
        return r;
    }

    private static void staticCalls(String owner, String target, String name, String... descriptors) {
        for (String d : descriptors) {
            BY_SITE.put(key(true, owner, name, d), new Redirect(target, name, d));
        }
    }

    /** The runtime method takes the receiver, typed as {@code receiver}, before the original arguments. */
    private static void instanceCalls(String receiver, String[] owners, String target, String name, String... descriptors) {
        for (String d : descriptors) {
            Redirect r = new Redirect(target, name, receiverFirst(receiver, d));
            for (String owner : owners) {
                BY_SITE.put(key(false, owner, name, d), r);
            }
        }
    }

    private static String receiverFirst(String receiver, String descriptor) {
        return "(L" + receiver + ";" + descriptor.substring(1);
    }

    private static String[] jdk(String pkg, String... names) {
        String[] owners = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            owners[i] = pkg + names[i];
        }
        return owners;
    }

    private static String key(boolean isStatic, String owner, String name, String descriptor) {
        return (isStatic ? "static " : "") + owner + '.' + name + descriptor;
    }

    /** Every redirection, for tests that check each target exists. */
    static Iterable<Redirect> all() {
        Map<String, Redirect> all = new HashMap<>();
        for (Redirect r : BY_SITE.values()) {
            all.put(r.toString(), r);
        }
        for (Redirect r : ON_ANY_RECEIVER.values()) {
            all.put(r.toString(), r);
        }
        return all.values();
    }
}
