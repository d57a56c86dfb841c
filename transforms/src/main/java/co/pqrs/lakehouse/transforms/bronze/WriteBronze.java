package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.metrics.StepCounters;
import co.pqrs.lakehouse.transforms.io.DigestChannel;
import co.pqrs.lakehouse.transforms.io.FileStat;
import co.pqrs.lakehouse.transforms.io.Frame;
import co.pqrs.lakehouse.transforms.io.GroupInBatches;
import co.pqrs.lakehouse.transforms.io.HeldBlocks;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.io.Parts;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import co.pqrs.lakehouse.transforms.quality.QualityEvaluator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a Bronze run: events as Snappy Parquet per event day, in as many files as the day's Raw
 * lines need at {@link #ROWS_PER_FILE} rows each (usually one), each sorted by (ts, event_id);
 * failures as JSONL per Raw day partition, split the same way, each in Raw order; then evaluates the
 * layer's quality checks and publishes the run (replacing any earlier one) or, when a FAIL check
 * breaks, refuses to publish.
 */
public class WriteBronze extends PTransform<PBegin, PCollection<Manifest>> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteBronze.class);

  private final PCollection<ParseRaw.Parsed> judged;
  private final PCollection<KV<String, ReadRawLines.Counts>> countedLinesPerDay;
  private final TreeMap<String, Long> linesPerRawDay;
  private final DataLayout layout;
  private final String runId;
  private final List<QualityConfig.Check> checks;
  private final Instant asOf;
  private final TreeMap<String, Object> parameters;
  private RunRecorder recorder = RunRecorder.NONE;
  private long rowsPerFile = ROWS_PER_FILE;

  /** Rows a Bronze file is sized for: a day with more Raw lines is written in several files. */
  public static final long ROWS_PER_FILE = 250_000;

  /** Also tells the run's outcome and check results to {@code recorder} (e.g. the control plane). */
  public WriteBronze withRecorder(RunRecorder recorder) {
    this.recorder = recorder;
    return this;
  }

  /** Sizes the files for about {@code rows} rows each. */
  public WriteBronze withRowsPerFile(long rows) {
    this.rowsPerFile = rows;
    return this;
  }

  /**
   * @param countedLinesPerDay the lines and blank lines of the Raw files read, per Raw day partition,
   *     counted apart from the lines parsed ({@link ReadRawLines.CountLines}): the accounting's figure
   * @param linesPerRawDay the Raw run's lines per Raw day partition as known before the run (its
   *     manifest's, {@link BronzeRun#linesPerRawDay}), which size the files: known when the pipeline is
   *     built, they need no side input, so the day keying runs in the de-duplication's task
   * @param judged what {@link TypeBronze} made of the parsed lines: the survivors of de-duplication,
   *     the duplicates' quarantine records and the lines that failed to parse
   * @param asOf the run's as-of instant for freshness; null means the newest event
   */
  public WriteBronze(PCollection<KV<String, ReadRawLines.Counts>> countedLinesPerDay, Map<String, Long> linesPerRawDay,
      PCollection<ParseRaw.Parsed> judged, DataLayout layout, String runId, List<QualityConfig.Check> checks,
      Instant asOf, Map<String, Object> parameters) {
    this.countedLinesPerDay = countedLinesPerDay;
    this.linesPerRawDay = new TreeMap<>(linesPerRawDay);
    this.judged = judged;
    this.layout = layout;
    this.runId = runId;
    this.checks = checks;
    this.asOf = asOf;
    this.parameters = new TreeMap<>(parameters);
  }

  @Override
  public PCollection<Manifest> expand(PBegin begin) {
    String staging = layout.staging(DataLayout.BRONZE, runId);
    String eventsFolder = layout.relative(layout.table(DataLayout.BRONZE, BronzeSchema.TABLE, runId));
    String quarantineFolder = layout.relative(layout.quarantine(DataLayout.BRONZE, runId));

    PCollectionView<Map<String, ReadRawLines.Counts>> linesPerDay = countedLinesPerDay.apply("RawLinesPerDayView", View.asMap());
    WriteDayFn writer = new WriteDayFn(layout, staging, eventsFolder, quarantineFolder, runId, BronzeSchema.json());
    PCollectionTuple written = judged
        .apply("KeyByEventDayShard", ParDo.of(new KeyByDayShardFn(linesPerRawDay, rowsPerFile)))
        .setCoder(KvCoder.of(VarLongCoder.of(), ParseRaw.Parsed.Coder.of()))
        .apply("GroupByEventDay", GroupInBatches.create())
        .apply("WriteDaysAndQuarantine", ParDo.of(writer).withOutputTags(DAY_FILES, TupleTagList.of(QUARANTINE_FILES)));
    PCollectionView<List<DayFile>> eventStats = written.get(DAY_FILES).setCoder(SerializableCoder.of(DayFile.class))
        .apply("EventFileStats", View.asList());
    PCollectionView<List<FileStat>> quarantineStats = written.get(QUARANTINE_FILES)
        .setCoder(SerializableCoder.of(FileStat.class)).apply("QuarantineFileStats", View.asList());

    return begin
        .apply("PublishTrigger", Create.of(runId))
        .apply("CheckAndPublish", ParDo.of(new PublishFn(
                new LayerOutputs.Publication(layout, DataLayout.BRONZE, runId, checks, recorder, parameters), asOf,
                linesPerDay, eventStats, quarantineStats))
            .withSideInputs(linesPerDay, eventStats, quarantineStats))
        .setCoder(SerializableCoder.of(Manifest.class));
  }

  /**
   * The writers' outputs: the day files written, and the quarantine files (when anything failed).
   */
  static final TupleTag<DayFile> DAY_FILES = new TupleTag<>() {};
  static final TupleTag<FileStat> QUARANTINE_FILES = new TupleTag<>() {};

  /** Most files a day is written in; also spaces the days' keys in the grouping. */
  static final int MAX_FILES_PER_DAY = 1024;

  /**
   * Where the quarantine's groups start: far below every day's key (event days of years 0000-9999
   * give keys within about ±3e9), one range of {@link #MAX_FILES_PER_DAY} keys per Raw day partition
   * ({@link #quarantineKey}).
   */
  static final long QUARANTINE_BASE = Long.MIN_VALUE / 2;

  /**
   * The grouping key of a shard of a Raw day partition's quarantine: its range is placed by the day's
   * digits ({@code yyyyMMdd}; 0 for "", the files outside a {@code day=} folder), so that every
   * worker places it alike without a table of the days, and a folder named for no real date (such as
   * {@code day=2025-02-30}) still has a range of its own.
   */
  static long quarantineKey(String rawDay, int shard) {
    long slot = rawDay.isEmpty() ? 0 : 1 + Long.parseLong(rawDay.replace("-", ""));
    return QUARANTINE_BASE + slot * MAX_FILES_PER_DAY + shard;
  }

  /** Whether a grouping key is one of the quarantine's. */
  static boolean isQuarantine(long key) {
    return key < QUARANTINE_BASE / 2;
  }

  /** The grouping key of a day's shard (a long: an int overflows for years after 5700). */
  static long dayShardKey(int eventDay, int shard) {
    return (long) eventDay * MAX_FILES_PER_DAY + shard;
  }

  /**
   * Keys each survivor by its event day and a shard of that day, so that no writer holds more than
   * about {@code rowsPerFile} events: a day is split by a hash of event_id into as many shards as its
   * Raw day partition has lines per {@code rowsPerFile} (one when it has none), a figure fixed by the
   * input, so the same Raw gives the same files. Quarantine records (parse failures and duplicates)
   * are keyed by the Raw day partition of their line and a shard of it, split by a hash of (file,
   * line) in the same number of shards as that partition's lines call for, so no writer holds more
   * than about {@code rowsPerFile} quarantined records either, however many lines a run quarantines.
   */
  static class KeyByDayShardFn extends DoFn<ParseRaw.Parsed, KV<Long, ParseRaw.Parsed>> {
    private final TreeMap<String, Long> linesPerRawDay;
    private final long rowsPerFile;
    // Shards per event day (epoch day), worked out once per day rather than once per event.
    private transient Map<Integer, Integer> shardsOfDay;

    KeyByDayShardFn(TreeMap<String, Long> linesPerRawDay, long rowsPerFile) {
      this.linesPerRawDay = linesPerRawDay;
      this.rowsPerFile = rowsPerFile;
    }

    @Setup
    public void setup() {
      shardsOfDay = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element ParseRaw.Parsed p, OutputReceiver<KV<Long, ParseRaw.Parsed>> out) {
      if (p.failure() != null) {
        Failure f = p.failure();
        String rawDay = ReadRawLines.rawDay(f.sourceFile());
        out.output(KV.of(quarantineKey(rawDay, Math.floorMod(f.positionHash(), shardsOf(rawDay))), p));
        return;
      }
      int day = p.eventDay();
      int shards = shardsOfDay.computeIfAbsent(day, d -> shardsOf(LocalDate.ofEpochDay(d).toString()));
      out.output(KV.of(dayShardKey(day, Math.floorMod(p.eventIdHash(), shards)), p));
    }

    private int shardsOf(String rawDay) {
      return Parts.of(linesPerRawDay.getOrDefault(rawDay, 0L), rowsPerFile, 1, MAX_FILES_PER_DAY);
    }
  }

  /**
   * A written day file and its newest event: the freshness check's input, taken where the rows are
   * already sorted instead of from another pass over every event.
   */
  record DayFile(FileStat stat, long newestTsMicros) implements java.io.Serializable {}

  /**
   * One Parquet file per shard of an event day, rows in (ts, event_id) order so its bytes are
   * reproducible; a group of failures becomes a quarantine file of their Raw day partition.
   */
  static class WriteDayFn extends DoFn<KV<Long, Iterable<ParseRaw.Parsed>>, WriteBronze.DayFile> {
    private final DataLayout layout;
    private final String staging;
    private final String folder;
    private final String quarantineFolder;
    private final String runId;
    // The Avro schema travels as JSON (Schema is not serializable) and is parsed once per instance.
    private final String schemaJson;
    private transient Schema schema;
    private transient BronzeSchema.FieldRows toRows;
    private transient HeldBlocks held;

    /**
     * @param layout the lakehouse, whose Raw the duplicates' lines are read back from ({@link RawPayloads})
     * @param staging the layer's absolute staging folder
     * @param folder the events' folder relative to the lakehouse root
     * @param quarantineFolder the quarantine's folder relative to the lakehouse root
     */
    WriteDayFn(DataLayout layout, String staging, String folder, String quarantineFolder, String runId,
        String schemaJson) {
      this.layout = layout;
      this.staging = staging;
      this.folder = folder;
      this.quarantineFolder = quarantineFolder;
      this.runId = runId;
      this.schemaJson = schemaJson;
    }

    @Setup
    public void setup() {
      schema = new Schema.Parser().parse(schemaJson);
      toRows = new BronzeSchema.FieldRows(schema, runId);
      held = new HeldBlocks();
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<ParseRaw.Parsed>> day, MultiOutputReceiver out) throws Exception {
      if (isQuarantine(day.getKey())) {
        List<Failure> failures = new ArrayList<>();
        day.getValue().forEach(d -> failures.add(d.failure()));
        List<Failure> all = RawPayloads.filled(failures, layout);
        // The group's lines share a Raw day partition (its key says which): the first names it.
        String rawDay = ReadRawLines.rawDay(all.get(0).sourceFile());
        String partition = rawDay.isEmpty() ? DataLayout.UNKNOWN_DAY : "day=" + rawDay;
        int shard = (int) Math.floorMod(day.getKey(), (long) MAX_FILES_PER_DAY);
        String relative = quarantineFolder + partition + String.format("/part-%05d.jsonl", shard);
        out.get(QUARANTINE_FILES).output(writeQuarantine(staging, relative, runId, all));
        return;
      }
      // The day is held as the bytes its events crossed the shuffle in, copied into blocks this writer
      // keeps from day to day (HeldBlocks: held as an array each, a day file's events were promoted and
      // compacted in full collections), each event with its time for the order and its type counted
      // as it comes. Each row is made from them as it is written, its texts going to Parquet and the
      // hash as the UTF-8 they arrived in.
      List<DayEvent> rows = new ArrayList<>();
      DayCounts counts = new DayCounts();
      held.clear();
      for (ParseRaw.Parsed d : day.getValue()) {
        byte[] fields = d.eventFields();
        held.add(fields);
        rows.add(DayEvent.of(held.array(), held.at(), fields.length, counts));
      }
      rows.sort(DayEvent.ORDER);
      LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(day.getKey(), MAX_FILES_PER_DAY));
      int shard = (int) Math.floorMod(day.getKey(), (long) MAX_FILES_PER_DAY);
      String partition = DataLayout.dayPartition(date);
      String relative = folder + partition + String.format("/part-%05d.parquet", shard);
      Iterable<GenericRecord> records = () -> rows.stream().map(e -> {
        try {
          return toRows.of(e.block(), e.at(), e.length());
        } catch (IOException x) {
          throw new java.io.UncheckedIOException("a Bronze event's fields do not decode", x);
        }
      }).iterator();
      FileStat stat = LayerOutputs.writeParquet(staging, relative, partition, schema, records, counts.toMap());
      LOG.info("bronze {} part {}: {} rows", partition, shard, rows.size());
      out.get(DAY_FILES).output(new DayFile(stat, rows.get(rows.size() - 1).tsMicros()));
    }
  }

  /**
   * A day file's counts: its events by type ({@code events.<type>}). No row lacks a key
   * ({@code null_keys}): event_id and ticket_id are required by the Raw contract, and an event's
   * coder, whose fields the rows are made from, cannot write a null for them.
   */
  public static final class DayCounts {
    // By the type's bytes, among the few types seen: named once, at the end.
    private final List<byte[]> types = new ArrayList<>();
    private long[] perType = new long[8];

    /** Counts an event of the type whose UTF-8 bytes are {@code b[offset, offset + length)}. */
    public Void add(byte[] b, int offset, int length) {
      for (int i = 0; i < types.size(); i++) {
        byte[] t = types.get(i);
        if (Arrays.equals(t, 0, t.length, b, offset, offset + length)) {
          perType[i]++;
          return null;
        }
      }
      if (types.size() == perType.length) {
        perType = Arrays.copyOf(perType, 2 * perType.length);
      }
      perType[types.size()] = 1;
      types.add(Arrays.copyOfRange(b, offset, offset + length));
      return null;
    }

    public TreeMap<String, Long> toMap() {
      TreeMap<String, Long> counts = new TreeMap<>();
      for (int i = 0; i < types.size(); i++) {
        counts.put("events." + new String(types.get(i), java.nio.charset.StandardCharsets.UTF_8), perType[i]);
      }
      return counts;
    }
  }

  /**
   * An event of a day, held as the fields it crossed the shuffle in ({@code [at, at + length)} of
   * {@code block}), with its time for the day's order.
   */
  public record DayEvent(long tsMicros, byte[] block, int at, int length) {
    /** By event_ts, then event_id as Strings order them (read from the fields, where it comes first). */
    public static final Comparator<DayEvent> ORDER = (a, b) -> {
      int c = Long.compare(a.tsMicros, b.tsMicros);
      return c != 0 ? c : BronzeEvent.Coder.compareEventIds(a.block, a.at, a.length, b.block, b.at, b.length);
    };

    /**
     * The event whose fields ({@link ParseRaw.Parsed#eventFields}) are held at {@code [at, at + length)}
     * of {@code block}, its type counted in {@code counts}.
     */
    public static DayEvent of(byte[] block, int at, int length, DayCounts counts) throws IOException {
      Frame.Reader r = BronzeEvent.Coder.toEventType(Frame.Reader.of(block, at, length));
      r.field(counts::add);
      return new DayEvent(BronzeEvent.Coder.tsMicrosAfterEventType(r), block, at, length);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Quarantine as JSONL a person can read, in Raw order, at {@code relative} below the staging folder. */
  static FileStat writeQuarantine(String staging, String relative, String runId, List<Failure> all) throws IOException {
    all.sort(Comparator.comparing(Failure::sourceFile).thenComparingLong(Failure::sourceLine)
        .thenComparing(Failure::errorCode).thenComparing(Failure::message));
    TreeMap<String, Long> counts = new TreeMap<>();
    DataHash.Builder hash = DataHash.builder();
    DigestChannel ch = new DigestChannel(LakehouseFiles.create(staging + relative, "application/x-ndjson"));
    try (OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
      for (Failure f : all) {
        if (f.payloadInRaw()) {
          throw new IllegalStateException("the payload of " + f.sourceFile() + ":" + f.sourceLine()
              + " was not read back from Raw (RawPayloads)");
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("run_id", runId);
        n.put("layer", DataLayout.BRONZE);
        n.put("step", f.step());
        n.put("error_code", f.errorCode());
        n.put("message", f.message());
        n.put("source_file", f.sourceFile());
        n.put("source_line", f.sourceLine());
        n.put("payload", f.payload());
        if (f.payloadBase64() != null) {
          n.put("payload_base64", f.payloadBase64());
        }
        byte[] line = JSON.writeValueAsBytes(n);
        os.write(line);
        os.write('\n');
        hash.add(line);
        counts.merge("quarantined." + f.errorCode(), 1L, Long::sum);
      }
    }
    StepCounters.BYTES_WRITTEN.inc(ch.bytes());
    return new FileStat(relative, "quarantine", all.size(), ch.bytes(), ch.sha256(), hash.build(), counts);
  }

  /** The single step that sees the whole run: checks, then publish or refuse. */
  static class PublishFn extends DoFn<String, Manifest> {
    private final LayerOutputs.Publication publication;
    private final Instant asOf;
    private final PCollectionView<Map<String, ReadRawLines.Counts>> linesPerDay;
    private final PCollectionView<List<DayFile>> eventStats;
    private final PCollectionView<List<FileStat>> quarantineStats;

    PublishFn(LayerOutputs.Publication publication, Instant asOf,
        PCollectionView<Map<String, ReadRawLines.Counts>> linesPerDay, PCollectionView<List<DayFile>> eventStats,
        PCollectionView<List<FileStat>> quarantineStats) {
      this.publication = publication;
      this.asOf = asOf;
      this.linesPerDay = linesPerDay;
      this.eventStats = eventStats;
      this.quarantineStats = quarantineStats;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      List<DayFile> days = c.sideInput(eventStats);
      List<FileStat> ev = days.stream().map(DayFile::stat).toList();
      List<FileStat> qu = c.sideInput(quarantineStats);
      Map<String, ReadRawLines.Counts> rawPerDay = c.sideInput(linesPerDay);
      long raw = ReadRawLines.Counts.lines(rawPerDay);
      long blank = ReadRawLines.Counts.blank(rawPerDay);
      Instant newestEvent = days.stream().mapToLong(DayFile::newestTsMicros).max().stream()
          .mapToObj(m -> Instant.EPOCH.plus(m, java.time.temporal.ChronoUnit.MICROS)).findFirst().orElse(null);

      List<FileStat> all = new ArrayList<>(ev);
      all.addAll(qu);
      Map<String, Long> counts = new TreeMap<>(FileStat.totals(all));
      long rows = ev.stream().mapToLong(FileStat::rows).sum();
      long quarantined = qu.stream().mapToLong(FileStat::rows).sum();
      long duplicates = counts.getOrDefault("quarantined." + Failure.DUPLICATE_EVENT_ID, 0L);
      counts.put("raw_lines", raw);
      counts.put("blank_lines", blank);
      counts.put("rows", rows);
      counts.put("quarantined", quarantined);
      Map<String, Long> perDay = new TreeMap<>();
      ev.forEach(f -> perDay.merge(f.partition(), f.rows(), Long::sum));

      QualityEvaluator.LayerFacts facts = new QualityEvaluator.LayerFacts(raw, blank, rows,
          quarantined - duplicates, duplicates, counts.getOrDefault("null_keys", 0L), perDay, newestEvent,
          asOf != null ? asOf : newestEvent != null ? newestEvent : Instant.EPOCH);
      c.output(publication.checkAndPublish(facts, counts, all,
          List.of(publication.table(BronzeSchema.TABLE), publication.quarantine())));
    }
  }
}
