package co.pqrs.lakehouse.contracts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A regular expression of the plain kind contracts write — literals, bracket classes of characters and
 * ranges, groups with alternatives, the quantifiers {@code ? * + {n} {n,} {n,m}}, and {@code ^ $} at the
 * ends — compiled into a deterministic automaton instead of {@code java.util.regex}, which spends most of
 * a UUID check allocating and resetting its matcher. Matching reads each character once and looks up the
 * next state in a table: no backtracking, nothing allocated, whatever the pattern's groups. Anything else
 * ({@code .}, escapes such as {@code \d} whose meaning differs between regex dialects, negated classes,
 * look-arounds, lazy quantifiers), or a pattern whose automaton would exceed {@link #MOST_POSITIONS} or
 * {@link #MOST_CELLS}, makes {@link #parse} return null, and the caller keeps {@code java.util.regex}.
 *
 * <p>{@code $} here means the end of the string, as in ECMA-262 (the dialect of JSON Schema) without
 * its multiline flag; {@code java.util.regex} also lets it match before a final line terminator.
 * Characters are UTF-16 units, as the classes are written.
 */
final class PlainPattern {
  /**
   * One atom and how often it repeats: a class of characters (pairs of first and last character) or a
   * group (alternative sequences). Classes are asked about a character only while the table is built.
   */
  private record Node(char[] ranges, Node[][] alternatives, int min, int max) {
    boolean isClass() {
      return alternatives == null;
    }

    boolean accepts(char c) {
      for (int i = 0; i < ranges.length; i += 2) {
        if (c >= ranges[i] && c <= ranges[i + 1]) {
          return true;
        }
      }
      return false;
    }
  }

  private static final String META = ".^$|?*+()[]{}\\";

  /** Most characters a pattern may stand for once its repetitions are written out ({@code [0-9]{4}} is 4). */
  static final int MOST_POSITIONS = 4_096;

  /** Most entries of a pattern's table (states × kinds of character): 4 MB. */
  static final int MOST_CELLS = 1 << 20;

  private final boolean anchoredEnd;
  /**
   * Characters every position of the pattern treats alike are one kind: a UUID's pattern sees three
   * (a hex digit, the dash, anything else), so its table is a few hundred bytes and stays in the
   * processor's nearest cache next to the parser's work. {@code asciiKind[c]} for c below 128; from
   * 128 up, range k starts at {@code bounds[k]} and is of kind {@code boundKind[k]}.
   */
  private final int[] asciiKind;
  private final char[] bounds;
  private final int[] boundKind;
  private final int kinds;
  /**
   * One row per state, {@code kinds + 1} wide: the row where each kind of character leads (as the
   * offset of that row, so that the next step is one addition and one load), then 1 if the state is a
   * match. State 0 is the start; a string that can no longer match stays in a row leading to itself.
   */
  private final int[] table;

  private PlainPattern(boolean anchoredEnd, int[] asciiKind, char[] bounds, int[] boundKind, int kinds, int[] table) {
    this.anchoredEnd = anchoredEnd;
    this.asciiKind = asciiKind;
    this.bounds = bounds;
    this.boundKind = boundKind;
    this.kinds = kinds;
    this.table = table;
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
    try {
      return compile(top[0], start, end);
    } catch (TooLarge e) {
      return null;
    }
  }

  /** Whether the pattern is found in the string, as {@code Matcher.find()} would say. */
  boolean find(String s) {
    int[] t = table;
    int state = 0;
    if (anchoredEnd) {
      for (int i = 0; i < s.length(); i++) {
        state = t[state + kind(s.charAt(i))];
      }
      return t[state + kinds] != 0;
    }
    // Without $, a match is found as soon as a state is one.
    for (int i = 0; t[state + kinds] == 0; i++) {
      if (i == s.length()) {
        return false;
      }
      state = t[state + kind(s.charAt(i))];
    }
    return true;
  }

  private int kind(char c) {
    if (c < 128) {
      return asciiKind[c];
    }
    int k = Arrays.binarySearch(bounds, c);
    return boundKind[k >= 0 ? k : -k - 2];
  }

  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  /**
   * The automaton of a sequence: its positions (one per character class, repetitions written out) and
   * which position may follow which (Glushkov's construction), then the sets of positions a prefix of
   * the string can end on, each a state (subset construction). Without {@code ^} the start stays in
   * every set: a match may begin anywhere. Without {@code $} a state holding a last position is a match
   * found.
   */
  private static PlainPattern compile(Node[] sequence, boolean anchoredStart, boolean anchoredEnd) {
    Positions g = new Positions();
    Positions.Part whole = g.sequence(sequence);
    g.follow.get(0).or(whole.first());
    BitSet finals = (BitSet) whole.last().clone();
    if (whole.nullable()) {
      finals.set(0);
    }
    // A character's kind: the positions that accept it. One sample character stands for each kind.
    char[] bounds = bounds(g.classes);
    Map<BitSet, Integer> kindOf = new HashMap<>();
    List<Character> samples = new ArrayList<>();
    int[] asciiKind = new int[128];
    int[] boundKind = new int[bounds.length];
    for (int c = 0; c < 128 + bounds.length; c++) {
      char sample = c < 128 ? (char) c : bounds[c - 128];
      BitSet accepting = new BitSet();
      for (int q = 1; q < g.classes.size(); q++) {
        if (g.classes.get(q).accepts(sample)) {
          accepting.set(q);
        }
      }
      Integer kind = kindOf.get(accepting);
      if (kind == null) {
        kind = samples.size();
        kindOf.put(accepting, kind);
        samples.add(sample);
      }
      if (c < 128) {
        asciiKind[c] = kind;
      } else {
        boundKind[c - 128] = kind;
      }
    }
    int kinds = samples.size();
    List<BitSet> states = new ArrayList<>();
    Map<BitSet, Integer> numbers = new HashMap<>();
    BitSet startSet = new BitSet();
    startSet.set(0);
    states.add(startSet);
    numbers.put(startSet, 0);
    int width = kinds + 1;
    int[] table = new int[width * 8];
    for (int at = 0; at < states.size(); at++) {
      BitSet from = states.get(at);
      if (at * width + width > table.length) {
        table = Arrays.copyOf(table, 2 * table.length);
      }
      for (int k = 0; k < kinds; k++) {
        char sample = samples.get(k);
        BitSet to = new BitSet();
        for (int p = from.nextSetBit(0); p >= 0; p = from.nextSetBit(p + 1)) {
          BitSet f = g.follow.get(p);
          for (int q = f.nextSetBit(0); q >= 0; q = f.nextSetBit(q + 1)) {
            if (g.classes.get(q).accepts(sample)) {
              to.set(q);
            }
          }
        }
        if (!anchoredStart) {
          to.set(0);
        }
        Integer number = numbers.get(to);
        if (number == null) {
          if ((long) (states.size() + 1) * width > MOST_CELLS) {
            throw new TooLarge();
          }
          number = states.size();
          states.add(to);
          numbers.put(to, number);
        }
        table[at * width + k] = number * width;
      }
      table[at * width + kinds] = from.intersects(finals) ? 1 : 0;
    }
    return new PlainPattern(anchoredEnd, asciiKind, bounds, boundKind, kinds, Arrays.copyOf(table, states.size() * width));
  }

  /** Where, from 128 up, some class's membership changes: the characters of a range between two are alike. */
  private static char[] bounds(List<Node> classes) {
    TreeSet<Character> cuts = new TreeSet<>();
    cuts.add((char) 128);
    for (Node n : classes) {
      if (n == null) {
        continue; // the start
      }
      for (int i = 0; i < n.ranges().length; i += 2) {
        char first = n.ranges()[i];
        char last = n.ranges()[i + 1];
        if (last < 128) {
          continue; // ASCII has a kind per character already
        }
        cuts.add((char) Math.max(first, 128));
        if (last < Character.MAX_VALUE) {
          cuts.add((char) (last + 1));
        }
      }
    }
    char[] out = new char[cuts.size()];
    int i = 0;
    for (char c : cuts) {
      out[i++] = c;
    }
    return out;
  }

  /** Glushkov's positions: position 0 is the start; every other is one class of one repetition. */
  private static final class Positions {
    final List<Node> classes = new ArrayList<>();
    final List<BitSet> follow = new ArrayList<>();

    Positions() {
      classes.add(null);
      follow.add(new BitSet());
    }

    /** A piece of the pattern: whether it matches the empty string, its first and its last positions. */
    record Part(boolean nullable, BitSet first, BitSet last) {}

    private static final Part EMPTY = new Part(true, new BitSet(), new BitSet());

    Part sequence(Node[] nodes) {
      Part out = EMPTY;
      for (Node n : nodes) {
        out = then(out, repeated(n));
      }
      return out;
    }

    /** a then b; neither part's sets change, only what follows a's last positions. */
    private Part then(Part a, Part b) {
      for (int p = a.last().nextSetBit(0); p >= 0; p = a.last().nextSetBit(p + 1)) {
        follow.get(p).or(b.first());
      }
      BitSet first = (BitSet) a.first().clone();
      if (a.nullable()) {
        first.or(b.first());
      }
      BitSet last = (BitSet) b.last().clone();
      if (b.nullable()) {
        last.or(a.last());
      }
      return new Part(a.nullable() && b.nullable(), first, last);
    }

    /** min copies, then either any more (a loop) or up to max - min more, each optional after the one before. */
    private Part repeated(Node n) {
      Part out = EMPTY;
      for (int i = 0; i < n.min(); i++) {
        out = then(out, atom(n));
      }
      if (n.max() == Integer.MAX_VALUE) {
        Part loop = atom(n);
        for (int p = loop.last().nextSetBit(0); p >= 0; p = loop.last().nextSetBit(p + 1)) {
          follow.get(p).or(loop.first());
        }
        return then(out, new Part(true, loop.first(), loop.last()));
      }
      // x{0,3} as (x(x(x)?)?)?: the same strings as x?x?x?, with a position followed by the next only.
      Part optional = EMPTY;
      for (int i = n.min(); i < n.max(); i++) {
        Part more = then(atom(n), optional);
        optional = new Part(true, more.first(), more.last());
      }
      return then(out, optional);
    }

    /** One copy of a class or a group, with positions of its own. */
    private Part atom(Node n) {
      if (n.isClass()) {
        if (classes.size() > MOST_POSITIONS) {
          throw new TooLarge();
        }
        BitSet self = new BitSet();
        self.set(classes.size());
        classes.add(n);
        follow.add(new BitSet());
        return new Part(false, self, self);
      }
      Part any = null;
      for (Node[] alternative : n.alternatives()) {
        Part s = sequence(alternative);
        if (any == null) {
          any = s;
        } else {
          BitSet first = (BitSet) any.first().clone();
          first.or(s.first());
          BitSet last = (BitSet) any.last().clone();
          last.or(s.last());
          any = new Part(any.nullable() || s.nullable(), first, last);
        }
      }
      return any;
    }
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
        out.add(new Node(ranges, alts, q[0], q[1]));
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
