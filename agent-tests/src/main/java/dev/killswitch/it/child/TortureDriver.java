package dev.killswitch.it.child;

import dev.killswitch.KillHandle;
import dev.killswitch.KillStatus;
import dev.killswitch.Killswitch;
import dev.killswitch.ThreadKilledError;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kill torture: workers run {@code com.acme.torture.Bank.work} (selected) in platform or virtual threads;
 * this driver kills one after another, starting a fresh worker for each, while bystanders run the same code
 * untouched. Then it stops everyone and checks that the kills did no harm: money conserved, no lock or
 * monitor held, every item handed over counted exactly once, every resource closed, every kill delivered
 * and its thread dead of it, no bystander hit.
 *
 * <p>Arguments: {@code threads kills victims bystanders seed}. One report line, {@code TORTURED}.
 */
public final class TortureDriver {
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int kills = Integer.parseInt(args[1]);
        int victims = Integer.parseInt(args[2]);
        int bystanders = Integer.parseInt(args[3]);
        Random random = new Random(Long.parseLong(args[4]));

        Class<?> bankClass = Class.forName("com.acme.torture.Bank");
        Object bank = bankClass.getConstructor().newInstance();
        Method work = bankClass.getMethod("work", int.class);
        Map<Thread, AtomicReference<Throwable>> outcomes = new ConcurrentHashMap<>();
        List<Thread> live = new ArrayList<>();
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < victims; i++) {
            live.add(start(kind, "victim-", bank, work, started, outcomes));
        }
        List<Thread> others = new ArrayList<>();
        for (int i = 0; i < bystanders; i++) {
            others.add(start(kind, "bystander-", bank, work, started, outcomes));
        }
        AtomicLong operations = (AtomicLong) bankClass.getField("operations").get(bank);
        awaitMore(operations, 1000);

        long[] latencies = new long[kills];
        Map<String, Integer> notDelivered = new LinkedHashMap<>();
        int diedOfOther = 0;
        String firstOther = "none";
        long began = System.nanoTime();
        for (int k = 0; k < kills; k++) {
            int pick = random.nextInt(live.size());
            Thread victim = live.get(pick);
            awaitWorking(victim);
            spinMicros(random.nextInt(300)); // land anywhere in what it does
            KillHandle h = Killswitch.kill(victim, "torture kill " + k);
            victim.join(10_000);
            if (h.status() != KillStatus.DELIVERED || victim.isAlive()) {
                notDelivered.merge(h.status() + (victim.isAlive() ? " (alive: " + h.describe() + ")" : ""), 1, Integer::sum);
            } else {
                latencies[k] = h.deliveryLatency().orElseThrow().toNanos();
            }
            Throwable died = outcomes.get(victim).get();
            if (!(died instanceof ThreadKilledError)) {
                diedOfOther++;
                if (firstOther.equals("none")) {
                    firstOther = String.valueOf(died);
                }
            }
            live.set(pick, start(kind, "victim-", bank, work, started, outcomes));
        }
        long tortureNanos = System.nanoTime() - began;

        bankClass.getField("stop").setBoolean(bank, true);
        int survivorsHit = 0;
        for (Thread t : others) {
            t.join(10_000);
            survivorsHit += outcomes.get(t).get() == null && !t.isAlive() ? 0 : 1;
        }
        for (Thread t : live) {
            t.join(10_000);
            survivorsHit += outcomes.get(t).get() == null && !t.isAlive() ? 0 : 1;
        }

        Map<String, Object> f = new LinkedHashMap<>();
        f.put("kills", kills);
        f.put("notDelivered", notDelivered.isEmpty() ? "none" : notDelivered.toString());
        f.put("diedOfOther", diedOfOther);
        f.put("firstOther", firstOther);
        f.put("untouchedHit", survivorsHit);
        Method total = bankClass.getMethod("total", long[].class);
        long expected = 16L * 1_000_000L;
        f.put("lockedMoney", (Long) total.invoke(bank, bankClass.getField("locked").get(bank)) - expected);
        f.put("syncedMoney", (Long) total.invoke(bank, bankClass.getField("synced").get(bank)) - expected);
        f.put("lockHeld", ((ReentrantLock) bankClass.getField("lock").get(bank)).isLocked());
        f.put("monitorFree", monitorFree(bankClass.getField("monitor").get(bank)));
        f.put("items", items(bankClass, bank));
        f.put("open", ((AtomicInteger) bankClass.getField("open").get(bank)).get());
        @SuppressWarnings("unchecked")
        Map<Integer, Long> tallies = (Map<Integer, Long>) bankClass.getField("tallies").get(bank);
        f.put("tallyGap", tallies.values().stream().mapToLong(Long::longValue).sum() - ((AtomicLong) bankClass.getField("tallied").get(bank)).get());
        f.put("operations", operations.get());
        f.put("libraryFailures", ((AtomicLong) bankClass.getField("failures").get(bank)).get());
        f.put("swallowed", ((AtomicLong) bankClass.getField("swallowed").get(bank)).get());
        long[] delivered = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        f.put("latencyMillis", delivered.length == 0 ? "none" : String.format(Locale.ROOT, "p50 %.3f p99 %.3f max %.3f",
                delivered[(delivered.length - 1) / 2] / 1e6, delivered[(int) Math.ceil(0.99 * delivered.length) - 1] / 1e6,
                delivered[delivered.length - 1] / 1e6));
        f.put("seconds", String.format(Locale.ROOT, "%.1f", tortureNanos / 1e9));
        Report.line("TORTURED", f);
        System.exit(0);
    }

    /** Every item offered is in the queue or was consumed, exactly once, and nothing else was consumed. */
    @SuppressWarnings("unchecked")
    private static String items(Class<?> bankClass, Object bank) throws ReflectiveOperationException {
        Set<Long> offered = (Set<Long>) bankClass.getField("offered").get(bank);
        Map<Long, Integer> consumed = (Map<Long, Integer>) bankClass.getField("consumed").get(bank);
        BlockingQueue<Long> queue = (BlockingQueue<Long>) bankClass.getField("queue").get(bank);
        Set<Long> queued = new HashSet<>(queue);
        int twice = 0;
        int lost = 0;
        int unknown = 0;
        for (Map.Entry<Long, Integer> e : consumed.entrySet()) {
            twice += e.getValue() > 1 ? 1 : 0;
            unknown += offered.contains(e.getKey()) ? 0 : 1;
        }
        for (Long id : offered) {
            lost += consumed.containsKey(id) || queued.contains(id) ? 0 : 1;
        }
        for (Long id : queued) {
            twice += consumed.containsKey(id) ? 1 : 0;
            unknown += offered.contains(id) ? 0 : 1;
        }
        return twice == 0 && lost == 0 && unknown == 0 ? "exact (" + offered.size() + ")"
                : "offered " + offered.size() + ", counted twice " + twice + ", lost " + lost + ", not counted as offered " + unknown;
    }

    private static boolean monitorFree(Object monitor) throws InterruptedException {
        Thread probe = new Thread(() -> {
            synchronized (monitor) {
                monitor.hashCode();
            }
        });
        probe.start();
        probe.join(10_000);
        return !probe.isAlive();
    }

    private static Thread start(String kind, String prefix, Object bank, Method work, AtomicInteger started,
                                Map<Thread, AtomicReference<Throwable>> outcomes) {
        int n = started.incrementAndGet();
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread t = Threads.create(kind, prefix + n, () -> {
            try {
                work.invoke(bank, n * 31);
            } catch (InvocationTargetException e) {
                died.set(e.getCause());
            } catch (Throwable e) {
                died.set(e);
            }
        });
        outcomes.put(t, died);
        t.start();
        return t;
    }

    private static void awaitMore(AtomicLong counter, long n) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (counter.get() < n && System.nanoTime() < until) {
            Thread.sleep(1);
        }
    }

    private static void spinMicros(long micros) {
        long until = System.nanoTime() + micros * 1000L;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /** Until the thread runs the selected work: a kill aimed at a thread that has not got there yet would be left alone. */
    private static void awaitWorking(Thread t) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().equals("com.acme.torture.Bank")) {
                    return;
                }
            }
            Thread.sleep(0, 100_000);
        }
    }
}
