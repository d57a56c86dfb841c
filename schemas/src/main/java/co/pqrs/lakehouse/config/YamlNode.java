package co.pqrs.lakehouse.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Strict, path-aware view of a YAML mapping. Every key read is remembered so that {@link #done()}
 * can reject the keys nobody asked for; every error names the file and the dotted key.
 */
public final class YamlNode {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String source;
  private final String path;
  private final JsonNode node;
  private final Set<String> read = new LinkedHashSet<>();

  private YamlNode(String source, String path, JsonNode node) {
    this.source = source;
    this.path = path;
    this.node = node;
  }

  /** Parses a whole YAML document, which must be a mapping. */
  public static YamlNode parse(String source, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage().replace('\n', ' ');
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new ConfigException(source, line > 0 ? "line " + line : null, "invalid YAML: " + msg);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source, null, "expected a YAML mapping at the top level");
    }
    return new YamlNode(source, "", root);
  }

  public String source() {
    return source;
  }

  private String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public ConfigException error(String key, String problem) {
    return new ConfigException(source, key == null ? path : keyPath(key), problem);
  }

  private JsonNode required(String key) {
    read.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw error(key, "missing required key");
    }
    return v;
  }

  public boolean has(String key) {
    return node.has(key);
  }

  public YamlNode map(String key) {
    JsonNode v = required(key);
    if (!v.isObject()) {
      throw error(key, "expected a mapping");
    }
    return new YamlNode(source, keyPath(key), v);
  }

  public String string(String key) {
    JsonNode v = required(key);
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      throw error(key, "expected a text value");
    }
    return v.asText();
  }

  public boolean bool(String key) {
    JsonNode v = required(key);
    if (!v.isBoolean()) {
      throw error(key, "expected true or false, got " + v);
    }
    return v.booleanValue();
  }

  public long integer(String key) {
    JsonNode v = required(key);
    if (!v.isIntegralNumber()) {
      throw error(key, "expected a whole number, got " + v);
    }
    return v.longValue();
  }

  public int intInRange(String key, int min, int max) {
    long v = integer(key);
    if (v < min || v > max) {
      throw error(key, v + " is outside [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  public double number(String key) {
    JsonNode v = required(key);
    if (!v.isNumber()) {
      throw error(key, "expected a number, got " + v);
    }
    return v.doubleValue();
  }

  public double numberInRange(String key, double min, double max) {
    double v = number(key);
    if (!(v >= min && v <= max)) {
      throw error(key, v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  public LocalDate date(String key) {
    String s = string(key);
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw error(key, "\"" + s + "\" is not a date (yyyy-MM-dd)");
    }
  }

  public List<String> strings(String key) {
    JsonNode v = required(key);
    if (!v.isArray() || v.isEmpty()) {
      throw error(key, "expected a non-empty list");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isTextual() || e.asText().isBlank()) {
        throw error(key + "[" + i + "]", "expected a non-empty text");
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  public List<Double> numbers(String key) {
    JsonNode v = required(key);
    if (!v.isArray() || v.isEmpty()) {
      throw error(key, "expected a non-empty list of numbers");
    }
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isNumber()) {
        throw error(key + "[" + i + "]", "expected a number, got " + v.get(i));
      }
      out.add(v.get(i).doubleValue());
    }
    return List.copyOf(out);
  }

  /** A two-element [low, high] list with low <= high. */
  public double[] range(String key, double min, double max) {
    List<Double> v = numbers(key);
    if (v.size() != 2) {
      throw error(key, "expected [low, high], got " + v.size() + " values");
    }
    double lo = v.get(0);
    double hi = v.get(1);
    if (lo > hi) {
      throw error(key, "low " + lo + " is greater than high " + hi);
    }
    if (lo < min || hi > max) {
      throw error(key, "[" + lo + ", " + hi + "] is outside [" + min + ", " + max + "]");
    }
    return new double[] {lo, hi};
  }

  /** Like {@link #range} for whole numbers. */
  public double[] intRange(String key, int min, int max) {
    double[] r = range(key, min, max);
    if (r[0] != Math.rint(r[0]) || r[1] != Math.rint(r[1])) {
      throw error(key, "expected whole numbers");
    }
    return r;
  }

  /** A list of mappings, each returned as a node whose unknown keys the caller checks. */
  public List<YamlNode> maps(String key) {
    JsonNode v = required(key);
    if (!v.isArray() || v.isEmpty()) {
      throw error(key, "expected a non-empty list of mappings");
    }
    List<YamlNode> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isObject()) {
        throw error(key + "[" + i + "]", "expected a mapping");
      }
      out.add(new YamlNode(source, keyPath(key) + "[" + i + "]", v.get(i)));
    }
    return out;
  }

  /** The keys of a mapping in file order, each turned into a value by {@code reader}. */
  public <T> Map<String, T> entries(String key, Function<YamlNode, Function<String, T>> reader) {
    YamlNode child = map(key);
    Map<String, T> out = new LinkedHashMap<>();
    Iterator<String> names = child.node.fieldNames();
    Function<String, T> r = reader.apply(child);
    while (names.hasNext()) {
      String name = names.next();
      out.put(name, r.apply(name));
    }
    child.read.addAll(out.keySet());
    return out;
  }

  /** A mapping of name to probability that must sum to 1 (within 1e-6). */
  public Map<String, Double> probabilities(String key) {
    Map<String, Double> p = entries(key, n -> k -> n.numberInRange(k, 0.0, 1.0));
    if (p.isEmpty()) {
      throw error(key, "expected at least one entry");
    }
    double sum = p.values().stream().mapToDouble(Double::doubleValue).sum();
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw error(key, String.format(java.util.Locale.ROOT, "probabilities sum to %.6f, not 1", sum));
    }
    // File order is kept: samplers walk categories in this order, so it must not depend on hashing.
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(p));
  }

  /** Rejects every key of this mapping that was not read. */
  public void done() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!read.contains(name)) {
        throw error(name, "unknown key");
      }
    }
  }
}
