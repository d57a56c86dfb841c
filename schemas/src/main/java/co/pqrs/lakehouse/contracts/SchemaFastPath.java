package co.pqrs.lakehouse.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON Schema compiled to plain checks, for the keywords a flat contract such as the Raw one uses.
 * It answers whether an instance is {@link Verdict#VALID} for sure, {@link Verdict#INVALID} for sure, or
 * {@link Verdict#UNSURE}. {@link RawContract} trusts only VALID and sends everything else to the full
 * validator, which writes the messages. They disagree in one place, on purpose: a pattern's {@code $}
 * is the end of the value here, as JSON Schema (ECMA-262) reads it, where the full validator lets it
 * match before a final line terminator ({@link #lineTerminatorBreaches}).
 *
 * <p>Why: validating every Raw line with the general validator was about a tenth of Bronze's samples,
 * most of it spent building paths and message sets for lines that turn out valid. The schema stays the one
 * source: it is compiled here at load time, and a keyword this class does not know makes {@link #compile}
 * refuse the schema (the contract then runs on the full validator alone) rather than guess.
 */
final class SchemaFastPath {
  enum Verdict {
    VALID, INVALID, UNSURE;

    Verdict and(Verdict other) {
      if (this == INVALID || other == INVALID) {
        return INVALID;
      }
      return this == UNSURE || other == UNSURE ? UNSURE : VALID;
    }
  }

  /** The schema uses something this fast path does not implement. */
  static final class Unsupported extends Exception {
    Unsupported(String pointer, String what) {
      super(pointer + ": " + what);
    }
  }

  /** One compiled subschema. */
  private interface Check {
    Verdict test(JsonNode n);
  }

  /** Keywords that only annotate: they never change whether an instance is valid. */
  private static final Set<String> ANNOTATIONS =
      Set.of("$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default");

  private final JsonNode root;
  /** Each referenced subschema compiled once, in a slot its references read without a lookup. */
  private final Map<String, Check[]> refs = new HashMap<>();
  private final Check check;

  private SchemaFastPath(JsonNode root) throws Unsupported {
    this.root = root;
    this.check = compile(root, "");
  }

  /** Compiles a schema, or throws {@link Unsupported} naming the first keyword it cannot decide. */
  static SchemaFastPath compile(JsonNode schema) throws Unsupported {
    return new SchemaFastPath(schema);
  }

  Verdict test(JsonNode instance) {
    return check.test(instance);
  }

  private Check compile(JsonNode s, String at) throws Unsupported {
    if (s.isBoolean()) {
      Verdict v = s.booleanValue() ? Verdict.VALID : Verdict.INVALID;
      return n -> v;
    }
    if (!s.isObject()) {
      throw new Unsupported(at, "a schema that is neither an object nor a boolean");
    }
    List<Check> checks = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = s.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      JsonNode v = f.getValue();
      String here = at + "/" + key;
      if (ANNOTATIONS.contains(key) || key.equals("then") || key.equals("else")) {
        continue; // then/else are compiled with their if
      }
      checks.add(switch (key) {
        case "type" -> type(v, here);
        case "const" -> among(List.of(text(v, here)));
        case "enum" -> among(texts(v, here));
        case "pattern" -> pattern(text(v, here));
        case "minLength" -> length(count(v, here), Integer.MAX_VALUE);
        case "maxLength" -> length(0, count(v, here));
        case "minimum" -> minimum(integer(v, here));
        case "required" -> required(texts(v, here));
        case "properties" -> properties(v, here);
        case "additionalProperties" -> additional(v, s.get("properties"), s, here);
        case "$ref" -> ref(text(v, here), here);
        case "allOf" -> allOf(v, here);
        case "if" -> ifThenElse(v, s.get("then"), s.get("else"), at);
        default -> throw new Unsupported(here, "keyword not implemented by the fast path");
      });
    }
    Check[] all = checks.toArray(new Check[0]);
    return n -> {
      Verdict out = Verdict.VALID;
      for (Check c : all) {
        out = out.and(c.test(n));
        if (out == Verdict.INVALID) {
          return out;
        }
      }
      return out;
    };
  }

  private static Check type(JsonNode v, String at) throws Unsupported {
    return switch (text(v, at)) {
      case "object" -> n -> n.isObject() ? Verdict.VALID : Verdict.INVALID;
      case "string" -> n -> n.isTextual() ? Verdict.VALID : Verdict.INVALID;
      // 2020-12 counts 1.0 as an integer; a validator may or may not: leave non-integral numbers to it.
      case "integer" -> n -> n.isIntegralNumber() ? Verdict.VALID
          : n.isNumber() ? Verdict.UNSURE : Verdict.INVALID;
      default -> throw new Unsupported(at, "type " + v);
    };
  }

  /** const and enum of strings: a value that is not a string cannot equal one. */
  private static Check among(List<String> allowed) {
    Set<String> set = new HashSet<>(allowed);
    return n -> n.isTextual() && set.contains(n.textValue()) ? Verdict.VALID : Verdict.INVALID;
  }

  private static Check pattern(String regex) {
    PlainPattern plain = PlainPattern.parse(regex);
    Pattern p = plain == null ? Pattern.compile(regex) : null;
    return n -> {
      if (!n.isTextual()) {
        return Verdict.VALID;
      }
      String s = n.textValue();
      if (plain != null) {
        return plain.find(s) ? Verdict.VALID : Verdict.INVALID; // $ read as ECMA-262 reads it
      }
      // java.util.regex lets $ match before a final line terminator, JSON Schema's ECMA-262 $ does not:
      // such strings are left undecided.
      return hasLineTerminator(s) ? Verdict.UNSURE : p.matcher(s).find() ? Verdict.VALID : Verdict.INVALID;
    };
  }

  /** What java.util.regex's $ may match before (and ECMA-262's line terminators, with U+0085). */
  private static final String LINE_TERMINATORS = "\n\r\u0085\u2028\u2029";
  private static final Pattern STRIP = Pattern.compile("[" + LINE_TERMINATORS + "]");

  static boolean hasLineTerminator(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // Every terminator is at most '\r' or at least U+0085: the chars between take one test each.
      if ((c <= '\r' || c >= '\u0085') && LINE_TERMINATORS.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The strings of an instance that the fast path refuses for their line terminators alone: with every
   * such string stripped of them the instance is no longer refused, and with one of them restored it is
   * again. Used where the full validator accepted what the fast path refused, to name the fields.
   */
  List<String> lineTerminatorBreaches(JsonNode instance) {
    List<String> pointers = new ArrayList<>();
    collectTerminated(instance, "", pointers);
    JsonNode copy = instance.deepCopy();
    List<String> originals = new ArrayList<>();
    for (String pointer : pointers) {
      originals.add(copy.at(pointer).textValue());
      set(copy, pointer, STRIP.matcher(copy.at(pointer).textValue()).replaceAll(""));
    }
    List<String> out = new ArrayList<>();
    if (test(copy) == Verdict.INVALID) {
      return out;
    }
    for (int i = 0; i < pointers.size(); i++) {
      String stripped = copy.at(pointers.get(i)).textValue();
      set(copy, pointers.get(i), originals.get(i));
      if (test(copy) == Verdict.INVALID) {
        out.add(pointers.get(i));
      }
      set(copy, pointers.get(i), stripped);
    }
    return out;
  }

  private static void set(JsonNode root, String pointer, String value) {
    int slash = pointer.lastIndexOf('/');
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.at(pointer.substring(0, slash)))
        .put(pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~"), value);
  }

  private static void collectTerminated(JsonNode n, String at, List<String> out) {
    if (n.isTextual() && hasLineTerminator(n.textValue())) {
      out.add(at);
    } else if (n.isObject()) {
      n.fields().forEachRemaining(e ->
          collectTerminated(e.getValue(), at + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out));
    }
  }

  /** JSON Schema counts a string's length in code points, not UTF-16 units. */
  private static Check length(int min, int max) {
    return n -> {
      if (!n.isTextual()) {
        return Verdict.VALID;
      }
      String s = n.textValue();
      int units = s.length();
      // A string has between half its UTF-16 units (all surrogate pairs) and all of them as code points.
      if (units <= max && (units + 1) / 2 >= min) {
        return Verdict.VALID;
      }
      int cp = s.codePointCount(0, units);
      return cp >= min && cp <= max ? Verdict.VALID : Verdict.INVALID;
    };
  }

  private static Check minimum(long min) {
    return n -> {
      if (!n.isNumber()) {
        return Verdict.VALID;
      }
      if (n.isIntegralNumber() && n.canConvertToLong()) {
        return n.longValue() >= min ? Verdict.VALID : Verdict.INVALID;
      }
      return Verdict.UNSURE;
    };
  }

  private static Check required(List<String> names) {
    String[] all = names.toArray(new String[0]);
    return n -> {
      if (!n.isObject()) {
        return Verdict.VALID;
      }
      for (String name : all) {
        if (!n.has(name)) {
          return Verdict.INVALID;
        }
      }
      return Verdict.VALID;
    };
  }

  private Check properties(JsonNode v, String at) throws Unsupported {
    if (!v.isObject()) {
      throw new Unsupported(at, "properties that are not an object");
    }
    Map<String, Check> byName = new HashMap<>();
    List<String> names = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> p = it.next();
      byName.put(p.getKey(), compile(p.getValue(), at + "/" + p.getKey()));
      names.add(p.getKey());
    }
    String[] own = names.toArray(new String[0]);
    Check[] checks = names.stream().map(byName::get).toArray(Check[]::new);
    return n -> {
      if (!n.isObject()) {
        return Verdict.VALID;
      }
      Verdict out = Verdict.VALID;
      // Whichever side has fewer names is walked and the other looked up: the Raw contract's
      // conditions name one property of an object of six, and are tried for every event four times.
      if (own.length <= n.size()) {
        for (int i = 0; i < own.length && out != Verdict.INVALID; i++) {
          JsonNode value = n.get(own[i]);
          if (value != null) {
            out = out.and(checks[i].test(value));
          }
        }
        return out;
      }
      Iterator<Map.Entry<String, JsonNode>> f = n.fields();
      while (f.hasNext() && out != Verdict.INVALID) {
        Map.Entry<String, JsonNode> e = f.next();
        Check c = byName.get(e.getKey());
        if (c != null) {
          out = out.and(c.test(e.getValue()));
        }
      }
      return out;
    };
  }

  private static Check additional(JsonNode v, JsonNode properties, JsonNode schema, String at) throws Unsupported {
    if (v.isBoolean() && v.booleanValue()) {
      return n -> Verdict.VALID;
    }
    if (!v.isBoolean()) {
      throw new Unsupported(at, "additionalProperties other than true or false");
    }
    if (schema.has("patternProperties")) {
      throw new Unsupported(at, "additionalProperties with patternProperties");
    }
    Set<String> known = new HashSet<>();
    if (properties != null) {
      properties.fieldNames().forEachRemaining(known::add);
    }
    String[] names = known.stream().sorted().toArray(String[]::new);
    // An object's names are distinct: it has none beyond the known ones when as many of them are
    // present as it has names. Looking the few known names up costs less than walking its fields.
    return n -> {
      if (!n.isObject()) {
        return Verdict.VALID;
      }
      int size = n.size();
      if (size > names.length) {
        return Verdict.INVALID;
      }
      int present = 0;
      for (int i = 0; i < names.length && present < size; i++) {
        if (n.get(names[i]) != null) {
          present++;
        }
      }
      return present == size ? Verdict.VALID : Verdict.INVALID;
    };
  }

  /** Only references inside this schema (#/...), each compiled once, when first used. */
  private Check ref(String ref, String at) throws Unsupported {
    if (!ref.startsWith("#/")) {
      throw new Unsupported(at, "reference outside the schema: " + ref);
    }
    String pointer = ref.substring(1);
    JsonNode target = root.at(pointer);
    if (target.isMissingNode()) {
      throw new Unsupported(at, "reference to nothing: " + ref);
    }
    Check[] slot = refs.get(pointer);
    if (slot == null) {
      slot = new Check[1];
      refs.put(pointer, slot); // a reference back to itself finds the slot, filled once compiled
      slot[0] = compile(target, pointer);
    }
    Check[] compiled = slot;
    return n -> compiled[0].test(n);
  }

  private Check allOf(JsonNode v, String at) throws Unsupported {
    if (!v.isArray() || v.isEmpty()) {
      throw new Unsupported(at, "allOf that is not a non-empty array");
    }
    List<Check> parts = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      parts.add(compile(v.get(i), at + "/" + i));
    }
    Check[] all = parts.toArray(new Check[0]);
    return n -> {
      Verdict out = Verdict.VALID;
      for (int i = 0; i < all.length && out != Verdict.INVALID; i++) {
        out = out.and(all[i].test(n));
      }
      return out;
    };
  }

  private Check ifThenElse(JsonNode cond, JsonNode then, JsonNode otherwise, String at) throws Unsupported {
    Check c = compile(cond, at + "/if");
    Check t = then == null ? n -> Verdict.VALID : compile(then, at + "/then");
    Check e = otherwise == null ? n -> Verdict.VALID : compile(otherwise, at + "/else");
    return n -> switch (c.test(n)) {
      case VALID -> t.test(n);
      case INVALID -> e.test(n);
      case UNSURE -> Verdict.UNSURE;
    };
  }

  private static String text(JsonNode v, String at) throws Unsupported {
    if (!v.isTextual()) {
      throw new Unsupported(at, "a value other than a string: " + v);
    }
    return v.textValue();
  }

  private static List<String> texts(JsonNode v, String at) throws Unsupported {
    if (!v.isArray()) {
      throw new Unsupported(at, "not an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode x : v) {
      out.add(text(x, at));
    }
    return out;
  }

  private static int count(JsonNode v, String at) throws Unsupported {
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
      throw new Unsupported(at, "a length that is not a non-negative integer: " + v);
    }
    return v.intValue();
  }

  private static long integer(JsonNode v, String at) throws Unsupported {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new Unsupported(at, "a bound that is not an integer: " + v);
    }
    return v.longValue();
  }
}
