package co.pqrs.lakehouse.serving;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import java.util.Map;

/**
 * Rows in, out and set aside of a run, read from its manifest's counts. Each layer names its counts
 * after what it does (DATA-LAYOUT.md); this is the one place that maps them onto the control plane's
 * three columns.
 */
public record RunFigures(long rowsIn, long rowsOut, long rowsQuarantined) {

  private static long sumUnder(Map<String, Long> counts, String prefix, String except) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && !e.getKey().equals(except))
        .mapToLong(Map.Entry::getValue).sum();
  }

  public static RunFigures of(Manifest m) {
    Map<String, Long> c = m.counts();
    return switch (m.layer()) {
      case DataLayout.RAW -> new RunFigures(c.getOrDefault("lines", 0L), c.getOrDefault("lines", 0L), 0);
      case DataLayout.BRONZE -> new RunFigures(c.getOrDefault("raw_lines", 0L), c.getOrDefault("rows", 0L),
          c.getOrDefault("quarantined", 0L));
      // Silver's "out" is every table row; events after the as-of or repeated creations are set aside.
      case DataLayout.SILVER -> new RunFigures(c.getOrDefault("bronze_rows", 0L), sumUnder(c, "rows.", "rows.creations"),
          sumUnder(c, "set_aside.", ""));
      case DataLayout.GOLD -> new RunFigures(c.getOrDefault("silver_tickets", 0L), sumUnder(c, "rows.", ""), 0);
      default -> throw new IllegalArgumentException("unknown layer " + m.layer());
    };
  }
}
