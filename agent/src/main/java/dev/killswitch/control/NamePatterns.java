package dev.killswitch.control;

import java.util.regex.Pattern;

/**
 * Thread names matched against a user's regular expression, with a bound: a tool that kills runaway
 * regular expressions must not run one itself. Each match may read the name's characters at most
 * {@link #STEP_LIMIT} times in all (a backtracking pattern such as {@code ((a+)+)+b} reads them
 * exponentially often); past that, the match stops and says so.
 */
public final class NamePatterns {
    /** Character reads allowed per name: plenty for any sane pattern on a thread name (microseconds), a bound for the others. */
    public static final long STEP_LIMIT = 1_000_000;

    private NamePatterns() {
    }

    /** A match that needed more steps than {@link #STEP_LIMIT}. */
    public static final class TooSlow extends Exception {
        private static final long serialVersionUID = 1L;

        TooSlow(String pattern, String name) {
            super("the name pattern \"" + pattern + "\" needed more than " + String.format("%,d", STEP_LIMIT)
                    + " steps to match the thread name \"" + name + "\", so it was stopped (it backtracks without end on such"
                    + " names); nothing was killed: write a simpler pattern");
        }
    }

    /** True if the whole of {@code name} matches {@code pattern}. */
    public static boolean matches(Pattern pattern, String name) throws TooSlow {
        Budget budget = new Budget();
        try {
            return pattern.matcher(new Counted(name, 0, name.length(), budget)).matches();
        } catch (Exhausted e) {
            throw new TooSlow(pattern.pattern(), name);
        }
    }

    private static final class Budget {
        long left = STEP_LIMIT;
    }

    /** Unwinds the matcher, which catches nothing. */
    private static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super(null, null, false, false);
        }
    }

    private static final class Counted implements CharSequence {
        private final String text;
        private final int from;
        private final int to;
        private final Budget budget;

        Counted(String text, int from, int to, Budget budget) {
            this.text = text;
            this.from = from;
            this.to = to;
            this.budget = budget;
        }

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            if (--budget.left < 0) {
                throw new Exhausted();
            }
            return text.charAt(from + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counted(text, from + start, from + end, budget);
        }

        @Override
        public String toString() {
            return text.substring(from, to);
        }
    }
}
