package dev.killswitch.bench;

import java.util.List;

/**
 * A probe's command-line arguments, read so that a bad one gets a sentence and the usage, exit status 2, not a stack
 * trace: the README tells users to run the probes and workloads by hand.
 */
public final class ProbeArgs {
    private final String probe;
    private final String usage;
    private final String[] args;

    public ProbeArgs(String probe, String usage, String[] args) {
        this.probe = probe;
        this.usage = usage;
        this.args = args.clone();
    }

    /** Argument {@code index}, one of {@code allowed}. */
    public String oneOf(int index, String what, List<String> allowed) {
        String value = required(index, what);
        if (!allowed.contains(value)) {
            throw fail(what + " is " + String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or "
                    + allowed.get(allowed.size() - 1) + ", not \"" + value + "\"");
        }
        return value;
    }

    /** Argument {@code index}, a whole number of 0 or more. */
    public int count(int index, String what) {
        return parseCount(required(index, what), what, 0);
    }

    /** The same, {@code absent} if there are fewer arguments. */
    public int count(int index, String what, int absent) {
        return index < args.length ? parseCount(args[index], what, 0) : absent;
    }

    /** Argument {@code index}, a whole number of 1 or more. */
    public int positive(int index, String what) {
        return parseCount(required(index, what), what, 1);
    }

    /** Argument {@code index}, whatever it is. */
    public String required(int index, String what) {
        if (index >= args.length) {
            throw fail(what + " is missing");
        }
        return args[index];
    }

    /** No argument after the first {@code count}: one more is a mistake, not something to ignore. */
    public void noMoreThan(int count) {
        if (args.length > count) {
            throw fail("there is no argument after the " + (count == 1 ? "first" : "first " + count) + ", not \""
                    + String.join(" ", List.of(args).subList(count, args.length)) + "\"");
        }
    }

    private int parseCount(String value, String what, int least) {
        try {
            int n = Integer.parseInt(value);
            if (n >= least) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw fail(what + " is a whole number, " + least + " or more, not \"" + value + "\"");
    }

    /** Says what is wrong and ends the JVM; returns only so that callers can {@code throw} it, for the compiler. */
    private IllegalStateException fail(String sentence) {
        System.err.println(probe + ": " + sentence);
        System.err.println("usage: " + usage);
        System.exit(2);
        return new IllegalStateException(sentence);
    }
}
