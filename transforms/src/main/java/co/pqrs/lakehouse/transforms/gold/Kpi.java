package co.pqrs.lakehouse.transforms.gold;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import org.apache.avro.generic.GenericRecord;

/**
 * One Gold table computed as a map-reduce over cells: each input row contributes cells to grains,
 * cells of a grain are merged (in any order, on any worker), and the merged cells of the whole run
 * become the table's rows. Everything that is not additive (percentiles, moving averages, zero
 * filling, stocks) happens in {@link #finish}.
 *
 * @param <T> the input row: a {@link GoldTicket} or a Silver record
 */
public interface Kpi<T> extends Serializable {
  GoldTable table();

  /** Emits zero or more (grain, cell) contributions of one input row; see {@link Grain}. */
  void contribute(T row, BiConsumer<String, Cell> out);

  /** The rows of the table from the merged cells of every grain, plus figures for the checks. */
  Result finish(SortedMap<String, Cell> cells, Context ctx);

  /** What every KPI may need to know about the run. */
  record Context(String runId, Instant asOf, LocalDate lastDay) implements Serializable {}

  /**
   * @param facts named figures reconciliation checks compare (e.g. {@code volume.tickets})
   */
  record Result(List<GenericRecord> rows, Map<String, Long> facts) {}
}
