package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.metrics.StepCounters;
import co.pqrs.lakehouse.transforms.io.DigestChannel;
import co.pqrs.lakehouse.transforms.io.FileStat;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one day's events as one JSONL file under the staging folder, in (ts, event_id) order so the
 * bytes do not depend on how the runner grouped them, and reports the file's size, SHA-256, data
 * hash and counts. A day larger than the writer may hold is sorted in runs on the worker's local
 * disk ({@link SpillingSort}): the same bytes, in memory that does not grow with the day.
 */
class WriteDayFileFn extends DoFn<KV<String, Iterable<EventLine>>, FileStat> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteDayFileFn.class);

  /**
   * The share of the worker's heap one writer holds before it sorts on disk. A JVM runs a writer
   * per slot (two on embedded Flink at parallelism 2), and the grouping around it needs room too.
   */
  static final int HEAP_SHARE = 8;

  private final String stagingFolder;
  private final String runFolder;
  private final long heldBytes;
  private transient long held;

  /**
   * @param stagingFolder absolute staging folder of the run
   * @param runFolder the run's folder relative to the lakehouse root
   * @param heldBytes estimated bytes of events a writer holds before it sorts on disk, or
   *     {@link SpillingSort#HELD_FROM_HEAP} ({@link #HEAP_SHARE} of the worker's heap)
   */
  WriteDayFileFn(String stagingFolder, String runFolder, long heldBytes) {
    this.stagingFolder = stagingFolder;
    this.runFolder = runFolder;
    this.heldBytes = SpillingSort.checkHeld(heldBytes);
  }

  @Setup
  public void setup() {
    held = SpillingSort.held(heldBytes, HEAP_SHARE);
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<EventLine>> day, OutputReceiver<FileStat> out)
      throws Exception {
    LocalDate date = LocalDate.parse(day.getKey());
    String relative = runFolder + DataLayout.rawDayFile(date);
    DataHash.Builder hash = DataHash.builder();
    TreeMap<String, Long> counts = new TreeMap<>();
    long rows = 0;
    DigestChannel ch;
    try (SpillingSort<EventLine> sort = SpillingSort.onLocalDisk(EventLine.FILE_ORDER, EventLine.Coder.of(),
        EventLine::heapBytes, held)) {
      day.getValue().forEach(sort::add);
      Iterator<EventLine> lines = sort.sorted();
      ch = new DigestChannel(LakehouseFiles.create(stagingFolder + relative, "application/x-ndjson"));
      try (OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
        while (lines.hasNext()) {
          EventLine l = lines.next();
          byte[] b = l.line().getBytes(StandardCharsets.UTF_8);
          os.write(b);
          os.write('\n');
          hash.add(b);
          counts.merge("events." + l.eventType(), 1L, Long::sum);
          if (!l.defect().isEmpty()) {
            counts.merge("injected." + l.defect(), 1L, Long::sum);
          }
          rows++;
        }
      }
      String spill = sort.spillNote("a writer");
      if (spill != null) {
        LOG.info("day {}: {} events, {}", date, rows, spill);
      }
    }
    StepCounters.wrote(rows, ch.bytes());
    out.output(new FileStat(relative, DataLayout.dayPartition(date), rows, ch.bytes(), ch.sha256(),
        hash.build(), counts));
  }
}
