package dev.killswitch.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A pattern over binary class names: {@code com.acme.**} (the package and its sub-packages),
 * {@code com.acme.*} (classes of that package only), an exact name such as {@code com.acme.Job} or
 * {@code com.acme.Job$Step}. A {@code *} inside a segment matches any characters but a dot
 * ({@code com.acme.*Job}); a {@code **} segment between others matches any number of packages.
 */
public final class ClassGlob {
    private static final String ANY_SEGMENTS = "**";

    private final String text;
    /** Segments in internal form; {@code "**"} stands for any number of segments. */
    private final String[] segments;
    /** Literal internal-name prefix every match starts with, for a cheap first test. */
    private final String prefix;

    private ClassGlob(String text, String[] segments) {
        this.text = text;
        this.segments = segments;
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            int star = segments[i].indexOf('*');
            if (star >= 0) {
                p.append(segments[i], 0, star);
                break;
            }
            p.append(segments[i]);
            if (i < segments.length - 1) {
                p.append('/');
            }
        }
        this.prefix = p.toString();
    }

    /**
     * Parses a pattern.
     *
     * @throws ConfigException naming the pattern and what is wrong with it
     */
    public static ClassGlob parse(String text) throws ConfigException {
        if (text.isEmpty()) {
            throw new ConfigException("empty class pattern");
        }
        if (text.indexOf('/') >= 0) {
            throw new ConfigException("class pattern \"" + text + "\" contains '/': write package names with dots, as in com.acme.**");
        }
        String[] parts = text.split("\\.", -1);
        List<String> segments = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new ConfigException("class pattern \"" + text + "\" has an empty name segment"
                        + (i == 0 ? " at the start" : i == parts.length - 1 ? " at the end" : "") + " (check the dots)");
            }
            if (part.contains(ANY_SEGMENTS) && !part.equals(ANY_SEGMENTS)) {
                throw new ConfigException("class pattern \"" + text + "\": \"**\" must be a whole segment, as in com.acme.**, not \"" + part + "\"");
            }
            for (int c = 0; c < part.length(); c++) {
                char ch = part.charAt(c);
                if (ch != '*' && ch != '$' && (!Character.isJavaIdentifierPart(ch) || Character.isIdentifierIgnorable(ch))) {
                    throw new ConfigException("class pattern \"" + visible(text) + "\" contains " + describe(ch)
                            + ", which cannot appear in a class name");
                }
            }
            if (part.equals(ANY_SEGMENTS) && !segments.isEmpty() && segments.get(segments.size() - 1).equals(ANY_SEGMENTS)) {
                continue; // a.**.** is a.**
            }
            segments.add(part);
        }
        return new ClassGlob(text, segments.toArray(new String[0]));
    }

    /** A character as a user can see it: invisible and control characters by their code. */
    private static String describe(char ch) {
        boolean invisible = Character.isISOControl(ch) || Character.isIdentifierIgnorable(ch)
                || ch != ' ' && (Character.isWhitespace(ch) || Character.isSpaceChar(ch));
        return invisible ? String.format("the invisible character U+%04X", (int) ch) : "'" + ch + "'";
    }

    private static String visible(String text) {
        StringBuilder b = new StringBuilder();
        for (char ch : text.toCharArray()) {
            b.append(describe(ch).startsWith("'") ? String.valueOf(ch) : String.format("\\u%04x", (int) ch));
        }
        return b.toString();
    }

    /** The pattern as the user wrote it. */
    public String text() {
        return text;
    }

    /** The literal package prefix of the pattern in internal form (may be empty). */
    public String literalPrefix() {
        return prefix;
    }

    /** Matches an internal class name such as {@code com/acme/Job$Step}. */
    public boolean matches(String internalName) {
        if (!internalName.startsWith(prefix)) {
            return false;
        }
        return match(0, internalName, 0);
    }

    private boolean match(int seg, String name, int from) {
        if (seg == segments.length) {
            return from == name.length() + 1; // consumed the last segment and its virtual '/'
        }
        if (from > name.length()) {
            return false;
        }
        String glob = segments[seg];
        if (glob.equals(ANY_SEGMENTS)) {
            boolean last = seg == segments.length - 1;
            if (last) {
                return from < name.length(); // at least one more segment: "com.acme.**" is not class com.acme
            }
            // zero or more whole segments
            for (int start = from; start <= name.length(); ) {
                if (match(seg + 1, name, start)) {
                    return true;
                }
                int slash = name.indexOf('/', start);
                if (slash < 0) {
                    return false;
                }
                start = slash + 1;
            }
            return false;
        }
        int end = name.indexOf('/', from);
        if (end < 0) {
            end = name.length();
        }
        return segmentMatches(glob, name, from, end) && match(seg + 1, name, end + 1);
    }

    /** Glob match of one segment, '*' matching any run of characters. */
    private static boolean segmentMatches(String glob, String name, int from, int to) {
        int g = 0;
        int n = from;
        int starG = -1;
        int starN = -1;
        while (n < to) {
            if (g < glob.length() && glob.charAt(g) != '*' && glob.charAt(g) == name.charAt(n)) {
                g++;
                n++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                starG = g++;
                starN = n;
            } else if (starG >= 0) {
                g = starG + 1;
                n = ++starN;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
