package co.pqrs.lakehouse.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Data-quality checks declared per layer ({@code docs/07-config/pqrs_quality_v1.yaml}). */
public record QualityConfig(List<Check> checks) implements Serializable {
  public static final String FILE = "pqrs_quality_v1.yaml";

  public enum Kind {
    ROW_RULE, QUARANTINE_RATIO, DUPLICATE_RATIO, NULL_KEYS, DAILY_VOLUME, FRESHNESS, ACCOUNTING,
    VIOLATION_RATIO, CLASSIFIER_ACCURACY, RECONCILE
  }

  public enum Severity { WARN, QUARANTINE, FAIL }

  /**
   * @param threshold upper bound for ratio, count and freshness kinds; null for the others
   * @param band [min, max] for DAILY_VOLUME; null for the others
   * @param rule the violation kind a VIOLATION_RATIO check counts, or the "left = right" figures a
   *     RECONCILE check compares; null for the others
   */
  public record Check(String name, String layer, Kind kind, Severity severity, Double threshold, Range band,
      String rule) implements Serializable {
    public Check(String name, String layer, Kind kind, Severity severity, Double threshold, Range band) {
      this(name, layer, kind, severity, threshold, band, null);
    }
  }

  public List<Check> forLayer(String layer) {
    return checks.stream().filter(c -> c.layer().equals(layer)).toList();
  }

  public static QualityConfig packaged() {
    Source s = Source.packaged(Source.Kind.CONFIG, FILE);
    return parse(s.name(), s.text());
  }

  private static <E extends Enum<E>> E enumOf(YamlNode n, String key, Class<E> type) {
    String raw = n.string(key);
    try {
      return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> known = new ArrayList<>();
      for (E v : type.getEnumConstants()) {
        known.add(v.name().toLowerCase(Locale.ROOT));
      }
      throw n.error(key, "\"" + raw + "\" not in " + known);
    }
  }

  public static QualityConfig parse(String source, String yaml) {
    YamlNode root = YamlNode.parse(source, yaml);
    root.intInRange("version", 1, 1);
    List<Check> checks = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (YamlNode n : root.maps("checks")) {
      String name = n.string("name");
      String layer = n.string("layer");
      Kind kind = enumOf(n, "kind", Kind.class);
      Severity severity = enumOf(n, "severity", Severity.class);
      Double threshold = null;
      Range band = null;
      String rule = null;
      switch (kind) {
        case QUARANTINE_RATIO, DUPLICATE_RATIO, CLASSIFIER_ACCURACY -> threshold = n.numberInRange("threshold", 0, 1);
        case VIOLATION_RATIO -> {
          threshold = n.numberInRange("threshold", 0, 1);
          rule = n.string("rule");
        }
        case RECONCILE -> {
          rule = n.string("rule");
          if (!rule.matches("[a-z_.]+ = [a-z_.]+")) {
            throw n.error("rule", "\"" + rule + "\" is not \"<figure> = <figure>\" (e.g. volume.tickets = silver.creations)");
          }
        }
        case NULL_KEYS, FRESHNESS -> threshold = n.numberInRange("threshold", 0, 1e12);
        case DAILY_VOLUME -> band = Range.of(n.range("threshold", 0, 1e12));
        default -> { }
      }
      n.done();
      if (!name.startsWith(layer + ".")) {
        throw n.error("name", "\"" + name + "\" must start with its layer \"" + layer + ".\"");
      }
      if (!names.add(name)) {
        throw n.error("name", "check " + name + " is declared twice");
      }
      if (kind == Kind.ACCOUNTING && severity != Severity.FAIL) {
        throw n.error("severity", "accounting checks are always FAIL");
      }
      if (kind == Kind.ROW_RULE && severity != Severity.QUARANTINE) {
        throw n.error("severity", "row rules quarantine rows: use QUARANTINE");
      }
      if (kind != Kind.ROW_RULE && severity == Severity.QUARANTINE) {
        throw n.error("severity", "only row rules can QUARANTINE; a dataset metric is WARN or FAIL");
      }
      checks.add(new Check(name, layer, kind, severity, threshold, band, rule));
    }
    root.done();
    return new QualityConfig(List.copyOf(checks));
  }
}
