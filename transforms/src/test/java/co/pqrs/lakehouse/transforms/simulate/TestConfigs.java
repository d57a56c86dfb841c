package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.config.DefectKind;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.config.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Test configurations: the packaged simulation YAML with some values replaced, written to a file. */
public final class TestConfigs {
  private TestConfigs() {}

  /** Replaces whole YAML lines that start with each key (after indentation). */
  public static LakehouseConfig with(Path dir, Map<String, String> replacements) throws IOException {
    String yaml = Source.packaged(Source.Kind.CONFIG, SimulationConfig.FILE).text();
    for (Map.Entry<String, String> e : replacements.entrySet()) {
      String key = e.getKey();
      String pattern = "(?m)^(\\s*)" + java.util.regex.Pattern.quote(key) + ":.*$";
      if (!java.util.regex.Pattern.compile(pattern).matcher(yaml).find()) {
        throw new IllegalArgumentException("no line for " + key);
      }
      yaml = yaml.replaceFirst(pattern, "$1" + key + ": " + java.util.regex.Matcher.quoteReplacement(e.getValue()));
    }
    Path f = dir.resolve(SimulationConfig.FILE);
    Files.writeString(f, yaml);
    return LakehouseConfig.load(null, f, null);
  }

  /** A small run: volume and spikes scaled down, dates as given. */
  public static Map<String, String> small(String start, String end, int avg, int spikeMin, int spikeMax) {
    return new java.util.LinkedHashMap<>(Map.of(
        "start", start,
        "end", end,
        "volume_daily_avg", Integer.toString(avg),
        "min_daily_volume", Integer.toString(spikeMin),
        "max_daily_volume", Integer.toString(spikeMax)));
  }

  /** {@link #small} with one spike window of 2 to {@code maxDays} days: the layers' fixtures' shape. */
  public static Map<String, String> oneWindow(String start, String end, int avg, int spikeMin, int spikeMax,
      int maxDays) {
    Map<String, String> m = small(start, end, avg, spikeMin, spikeMax);
    m.put("window_count", "1");
    m.put("min_days", "2");
    m.put("max_days", Integer.toString(maxDays));
    return m;
  }

  /** Every defect kind at {@code rate} (malformed rows in the fixture), added to {@code m}. */
  public static Map<String, String> withDefects(Map<String, String> m, String rate) {
    for (DefectKind k : DefectKind.values()) {
      m.put(k.key(), rate);
    }
    return m;
  }
}
