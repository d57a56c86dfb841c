package co.pqrs.lakehouse.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * A regular expression of the plain kind contracts write — literals, bracket classes of characters and
 * ranges, groups with alternatives, the quantifiers {@code ? * + {n} {n,} {n,m}}, and {@code ^ $} at the
 * ends — matched by a small backtracking matcher instead of {@code java.util.regex}, which spends most of
 * a UUID check allocating and resetting its matcher. Anything else ({@code .}, escapes such as
 * {@code \d} whose meaning differs between regex dialects, negated classes, look-arounds, lazy
 * quantifiers) makes {@link #parse} return null, and the caller keeps {@code java.util.regex}.
 *
 * <p>{@code $} here means the end of the string, as in ECMA-262 (the dialect of JSON Schema) without
 * its multiline flag; {@code java.util.regex} also lets it match before a final line terminator. Strings
 * longer than {@link #LONGEST} are matched by {@code java.util.regex}, and so by its reading of {@code $}.
 */
final class PlainPattern {
  /**
   * One atom and how often it repeats: a class of characters or a group (alternative sequences). A class
   * holds its ASCII members as two 64-bit masks and any others as ranges.
   */
  private record Node(long low, long high, char[] ranges, Node[][] alternatives, int min, int max) {
    static Node of(char[] ranges, Node[][] alternatives, int min, int max) {
      if (ranges == null) {
        return new Node(0, 0, null, alternatives, min, max);
      }
      long low = 0;
      long high = 0;
      StringBuilder rest = new StringBuilder();
      for (int i = 0; i < ranges.length; i += 2) {
        for (char c = ranges[i]; c <= ranges[i + 1] && c < 128; c++) {
          if (c < 64) {
            low |= 1L << c;
          } else {
            high |= 1L << (c - 64);
          }
        }
        if (ranges[i + 1] >= 128) {
          rest.append((char) Math.max(ranges[i], 128)).append(ranges[i + 1]);
        }
      }
      return new Node(low, high, rest.toString().toCharArray(), null, min, max);
    }

    boolean isClass() {
      return alternatives == null;
    }

    boolean accepts(char c) {
      if (c < 64) {
        return (low >>> c & 1) != 0;
      }
      if (c < 128) {
        return (high >>> (c - 64) & 1) != 0;
      }
      for (int i = 0; i < ranges.length; i += 2) {
        if (c >= ranges[i] && c <= ranges[i + 1]) {
          return true;
        }
      }
      return false;
    }
  }

  private static final String META = ".^$|?*+()[]{}\\";

  /** Longer strings go to java.util.regex: the matcher here recurses once per repetition of a group. */
  static final int LONGEST = 256;

  private final Node[] sequence;
  private final boolean anchoredStart;
  private final boolean anchoredEnd;
  private final Pattern longStrings;

  private PlainPattern(Node[] sequence, boolean anchoredStart, boolean anchoredEnd, String regex) {
    this.sequence = sequence;
    this.anchoredStart = anchoredStart;
    this.anchoredEnd = anchoredEnd;
    this.longStrings = Pattern.compile(regex);
  }

  /** The compiled pattern, or null when it uses anything beyond the plain kind described above. */
  static PlainPattern parse(String regex) {
    for (int i = 0; i < regex.length(); i++) {
      if (Character.isSurrogate(regex.charAt(i))) {
        return null;
      }
    }
    boolean start = regex.startsWith("^");
    boolean end = regex.endsWith("$") && !regex.endsWith("\\$") && regex.length() > (start ? 1 : 0);
    String body = regex.substring(start ? 1 : 0, regex.length() - (end ? 1 : 0));
    Parser p = new Parser(body);
    Node[][] top = p.alternatives();
    if (top == null || p.at != body.length() || top.length != 1) {
      return null; // top-level | binds looser than the anchors: not a plain pattern
    }
    return new PlainPattern(top[0], start, end, regex);
  }

  /** Whether the pattern is found in the string, as {@code Matcher.find()} would say. */
  boolean find(String s) {
    if (s.length() > LONGEST) {
      return longStrings.matcher(s).find();
    }
    IntPredicate done = anchoredEnd ? p -> p == s.length() : p -> true;
    if (anchoredStart) {
      return sequence(sequence, 0, s, 0, done);
    }
    for (int from = 0; from <= s.length(); from++) {
      if (sequence(sequence, 0, s, from, done)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sequence(Node[] seq, int i, String s, int pos, IntPredicate then) {
    // Classes repeated a fixed number of times (a UUID's hex runs and dashes) need no backtracking.
    while (i < seq.length && seq[i].isClass() && seq[i].min() == seq[i].max()) {
      Node n = seq[i];
      int end = pos + n.min();
      if (end > s.length()) {
        return false;
      }
      for (; pos < end; pos++) {
        if (!n.accepts(s.charAt(pos))) {
          return false;
        }
      }
      i++;
    }
    if (i == seq.length) {
      return then.test(pos);
    }
    Node n = seq[i];
    if (n.isClass()) {
      int count = 0;
      while (count < n.max() && pos + count < s.length() && n.accepts(s.charAt(pos + count))) {
        count++;
      }
      for (int c = count; c >= n.min(); c--) {
        if (sequence(seq, i + 1, s, pos + c, then)) {
          return true;
        }
      }
      return false;
    }
    return group(n, 0, seq, i, s, pos, then);
  }

  private static boolean group(Node n, int done, Node[] seq, int i, String s, int pos, IntPredicate then) {
    if (done < n.max()) {
      for (Node[] alt : n.alternatives()) {
        // An empty repetition counts only while the minimum is not reached: no endless empty loop.
        if (sequence(alt, 0, s, pos, p -> (p != pos || done < n.min())
            && group(n, done + 1, seq, i, s, p, then))) {
          return true;
        }
      }
    }
    return done >= n.min() && sequence(seq, i + 1, s, pos, then);
  }

  private static final class Parser {
    private final String r;
    private int at;

    Parser(String r) {
      this.r = r;
    }

    /** alternatives := sequence ('|' sequence)*; null when unsupported. */
    Node[][] alternatives() {
      List<Node[]> alts = new ArrayList<>();
      while (true) {
        Node[] seq = sequence();
        if (seq == null) {
          return null;
        }
        alts.add(seq);
        if (at < r.length() && r.charAt(at) == '|') {
          at++;
          continue;
        }
        return alts.toArray(new Node[0][]);
      }
    }

    private Node[] sequence() {
      List<Node> out = new ArrayList<>();
      while (at < r.length() && r.charAt(at) != '|' && r.charAt(at) != ')') {
        char c = r.charAt(at);
        char[] ranges = null;
        Node[][] alts = null;
        if (c == '[') {
          ranges = bracket();
        } else if (c == '(') {
          at++;
          if (at < r.length() && r.charAt(at) == '?') {
            return null; // (?:, look-arounds, flags
          }
          alts = alternatives();
          if (alts == null || at >= r.length() || r.charAt(at) != ')') {
            return null;
          }
          at++;
        } else if (c == '\\') {
          ranges = escaped();
        } else if (META.indexOf(c) >= 0) {
          return null; // . or a quantifier with nothing before it, or ^ $ inside
        } else {
          ranges = new char[] {c, c};
          at++;
        }
        if (ranges == null && alts == null) {
          return null;
        }
        int[] q = quantifier();
        if (q == null) {
          return null;
        }
        out.add(Node.of(ranges, alts, q[0], q[1]));
      }
      return out.toArray(new Node[0]);
    }

    /** A backslash before a metacharacter is that character; any other escape is a dialect's. */
    private char[] escaped() {
      if (at + 1 >= r.length() || META.indexOf(r.charAt(at + 1)) < 0 && r.charAt(at + 1) != '-') {
        return null;
      }
      char c = r.charAt(at + 1);
      at += 2;
      return new char[] {c, c};
    }

    private char[] bracket() {
      at++; // [
      if (at < r.length() && r.charAt(at) == '^') {
        return null;
      }
      StringBuilder ranges = new StringBuilder();
      while (at < r.length() && r.charAt(at) != ']') {
        char lo = classChar();
        if (lo == 0) {
          return null;
        }
        char hi = lo;
        if (at + 1 < r.length() && r.charAt(at) == '-' && r.charAt(at + 1) != ']') {
          at++;
          hi = classChar();
          if (hi == 0 || hi < lo) {
            return null;
          }
        }
        ranges.append(lo).append(hi);
      }
      if (at >= r.length() || ranges.length() == 0) {
        return null;
      }
      at++; // ]
      return ranges.toString().toCharArray();
    }

    /** One character inside brackets; 0 when it is an escape or character this parser does not take. */
    private char classChar() {
      char c = r.charAt(at);
      if (c == '\\') {
        if (at + 1 >= r.length() || META.indexOf(r.charAt(at + 1)) < 0 && r.charAt(at + 1) != '-') {
          return 0;
        }
        at += 2;
        return r.charAt(at - 1);
      }
      if (c == '[' || c == '&' && at + 1 < r.length() && r.charAt(at + 1) == '&' || c == 0) {
        return 0; // nested classes and intersections are Java's own
      }
      at++;
      return c;
    }

    /** {min, max} of the quantifier here ({1, 1} when none), or null when unsupported. */
    private int[] quantifier() {
      if (at >= r.length()) {
        return new int[] {1, 1};
      }
      int[] q;
      char c = r.charAt(at);
      if (c == '?' || c == '*' || c == '+') {
        at++;
        q = c == '?' ? new int[] {0, 1} : c == '*' ? new int[] {0, Integer.MAX_VALUE} : new int[] {1, Integer.MAX_VALUE};
      } else if (c == '{') {
        int close = r.indexOf('}', at);
        if (close < 0) {
          return null;
        }
        String inside = r.substring(at + 1, close);
        if (!inside.matches("[0-9]{1,6}(,[0-9]{0,6})?")) {
          return null;
        }
        int comma = inside.indexOf(',');
        int min = Integer.parseInt(comma < 0 ? inside : inside.substring(0, comma));
        int max = comma < 0 ? min : comma == inside.length() - 1 ? Integer.MAX_VALUE
            : Integer.parseInt(inside.substring(comma + 1));
        if (max < min) {
          return null;
        }
        at = close + 1;
        q = new int[] {min, max};
      } else {
        return new int[] {1, 1};
      }
      if (at < r.length() && (r.charAt(at) == '?' || r.charAt(at) == '+' || r.charAt(at) == '*'
          || r.charAt(at) == '{')) {
        return null; // lazy, possessive or stacked quantifiers
      }
      return q;
    }
  }
}
