package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.metrics.StepCounters;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.transforms.io.DigestChannel;
import co.pqrs.lakehouse.transforms.io.FileStat;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Writes one day's events as one JSONL file under the staging folder, in (ts, event_id) order so the
 * bytes do not depend on how the runner grouped them, and reports the file's size, SHA-256, data
 * hash and counts.
 */
class WriteDayFileFn extends DoFn<KV<String, Iterable<EventLine>>, FileStat> {
  private final String stagingFolder;
  private final String runFolder;

  /**
   * @param stagingFolder absolute staging folder of the run
   * @param runFolder the run's folder relative to the lakehouse root
   */
  WriteDayFileFn(String stagingFolder, String runFolder) {
    this.stagingFolder = stagingFolder;
    this.runFolder = runFolder;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<EventLine>> day, OutputReceiver<FileStat> out)
      throws Exception {
    List<EventLine> lines = new ArrayList<>();
    day.getValue().forEach(lines::add);
    lines.sort(EventLine.FILE_ORDER);
    LocalDate date = LocalDate.parse(day.getKey());
    String relative = runFolder + DataLayout.rawDayFile(date);

    DataHash.Builder hash = DataHash.builder();
    TreeMap<String, Long> counts = new TreeMap<>();
    DigestChannel ch = new DigestChannel(LakehouseFiles.create(stagingFolder + relative, "application/x-ndjson"));
    try (OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
      for (EventLine l : lines) {
        byte[] b = l.line().getBytes(StandardCharsets.UTF_8);
        os.write(b);
        os.write('\n');
        hash.add(b);
        counts.merge("events." + l.eventType(), 1L, Long::sum);
        if (!l.defect().isEmpty()) {
          counts.merge("injected." + l.defect(), 1L, Long::sum);
        }
      }
    }
    StepCounters.wrote(lines.size(), ch.bytes());
    out.output(new FileStat(relative, DataLayout.dayPartition(date), lines.size(), ch.bytes(), ch.sha256(),
        hash.build(), counts));
  }
}
