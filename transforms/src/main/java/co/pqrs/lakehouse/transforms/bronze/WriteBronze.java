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
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.io.Parts;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import co.pqrs.lakehouse.transforms.quality.QualityEvaluator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.channels.Channels;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
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

  private final PCollection<ParseRaw.Parsed> parsed;
  private final PCollection<Duplicates> verdicts;
  private final PCollection<KV<String, ReadRawLines.Counts>> rawLinesPerDay;
  private final DataLayout layout;
  private final String runId;
  private final List<QualityConfig.Check> checks;
  private final Instant asOf;
  private final TreeMap<String, Object> parameters;
  private RunRecorder recorder = RunRecorder.NONE;
  private long rowsPerFile = ROWS_PER_FILE;
  private long duplicatesHeld = HELD_BY_HEAP;
  private long rawLines = RAW_LINES_NOT_KNOWN;
  private long sortHeldBytes = SpillingSort.HELD_FROM_HEAP;

  /** Rows a Bronze file is sized for: a day with more Raw lines is written in several files. */
  public static final long ROWS_PER_FILE = 250_000;

  /**
   * Heap a worker spends on each verdict on a duplicated event_id that the keying reads as a side
   * input: 20 bytes in the runner's chunks and 20 in their merged copy. Every worker holds them all,
   * so a run with more verdicts than half the heap holds at this rate (12.0 M with {@code -Xmx1g},
   * whose usable heap the JVM puts at 962 MB: every line of 6 M delivered twice) is judged by a shuffle of the events instead: grouped by a hash of
   * event_id in groups of a bounded size, then keyed and grouped by day again. The same bytes either
   * way, in the same memory however many lines repeat. Measured (docs/benchmarks/changes.md, "Thirty-first
   * change"): with 10.4 M verdicts (42 % of a 1 GB heap) the side input is faster, 109 s against
   * 180 s; in a 640 MB heap (65 %) the shuffle is, 190 s against 234 s.
   */
  static final long HELD_VERDICT_BYTES = 40;

  /** A Raw run's lines when its manifest does not count them: the shuffle of duplicates is planned. */
  public static final long RAW_LINES_NOT_KNOWN = -1;

  /** The verdicts held as a side input at most: half the deciding JVM's heap ({@link #HELD_VERDICT_BYTES}). */
  public static final long HELD_BY_HEAP = -1;

  /** The most verdicts held as a side input in this JVM: {@code held}, or by {@link #HELD_BY_HEAP}. */
  static long heldVerdicts(long held) {
    return held != HELD_BY_HEAP ? held : Runtime.getRuntime().maxMemory() / 2 / HELD_VERDICT_BYTES;
  }

  /** Also tells the run's outcome and check results to {@code recorder} (e.g. the control plane). */
  public WriteBronze withRecorder(RunRecorder recorder) {
    this.recorder = recorder;
    return this;
  }

  /**
   * Holds about {@code bytes} of a group that judges duplicates by a shuffle before sorting it on
   * local disk (default: {@link TypeBronze#HEAP_SHARE} of the worker's heap, as the position grouping).
   */
  public WriteBronze withSortHeldBytes(long bytes) {
    this.sortHeldBytes = SpillingSort.checkHeld(bytes);
    return this;
  }

  /** Sizes the files for about {@code rows} rows each. */
  public WriteBronze withRowsPerFile(long rows) {
    this.rowsPerFile = rows;
    return this;
  }

  /**
   * The Raw run's lines (its manifest's count, or {@link #RAW_LINES_NOT_KNOWN}), the most verdicts it can
   * have: when even that many are few enough to hold, the pipeline has no shuffle of duplicates planned (its steps cost about half
   * a second of a small run on Flink). On a cluster, the client's heap stands in for the workers'.
   */
  public WriteBronze withRawLines(long lines) {
    this.rawLines = lines;
    return this;
  }

  /**
   * Judges the duplicates by a shuffle when there are more verdicts than {@code verdicts} (tests use 0),
   * instead of when they would take more than half the heap.
   */
  public WriteBronze withDuplicatesHeld(long verdicts) {
    this.duplicatesHeld = verdicts;
    return this;
  }

  /**
   * @param rawLinesPerDay the lines and blank lines of the Raw files read, per Raw day partition,
   *     counted apart from the lines parsed ({@link ReadRawLines.CountLines})
   * @param parsed every parsed event, duplicates included, and every line that failed to parse
   * @param verdicts the event_ids seen more than once ({@link TypeBronze}): applied here, so that the
   *     events are shuffled once (twice when there are too many to hold: {@link #HELD_VERDICT_BYTES})
   * @param asOf the run's as-of instant for freshness; null means the newest event
   */
  public WriteBronze(PCollection<KV<String, ReadRawLines.Counts>> rawLinesPerDay, PCollection<ParseRaw.Parsed> parsed,
      PCollection<Duplicates> verdicts, DataLayout layout, String runId,
      List<QualityConfig.Check> checks, Instant asOf, Map<String, Object> parameters) {
    this.rawLinesPerDay = rawLinesPerDay;
    this.parsed = parsed;
    this.verdicts = verdicts;
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

    PCollectionView<Map<String, ReadRawLines.Counts>> linesPerDay = rawLinesPerDay.apply("RawLinesPerDayView", View.asMap());
    WriteDayFn writer = new WriteDayFn(layout, staging, eventsFolder, quarantineFolder, runId,
        BronzeSchema.json(), sortHeldBytes);
    List<PCollection<DayFile>> dayFiles = new ArrayList<>();
    List<PCollection<FileStat>> quarantineFiles = new ArrayList<>();
    if (rawLines != RAW_LINES_NOT_KNOWN && rawLines <= heldVerdicts(duplicatesHeld)) {
      // Every line a duplicate would still be few enough to hold: no shuffle to plan for.
      PCollectionView<List<Duplicates>> held = verdicts.apply("DuplicatesView", View.asList());
      PCollectionTuple written = keyGroupAndWrite(parsed, "",
          KeyByDayShardFn.judging(linesPerDay, held, null, rowsPerFile), List.of(linesPerDay, held), writer,
          TupleTagList.of(QUARANTINE_FILES));
      dayFiles.add(written.get(DAY_FILES));
      quarantineFiles.add(written.get(QUARANTINE_FILES));
    } else {
      // Decided once, where the verdicts are counted, so that every reader goes the same way.
      PCollectionView<Boolean> byShuffle = verdicts
          .apply("VerdictsPerChunk", MapElements.into(TypeDescriptors.longs()).via((Duplicates d) -> (long) d.size()))
          .apply("CountVerdicts", Combine.globally(Sum.ofLongs()))
          .apply("HoldOrShuffle", ParDo.of(new HoldOrShuffleFn(duplicatesHeld)))
          .apply("HoldOrShuffleView", View.asSingleton());
      PCollectionView<List<Duplicates>> held = verdicts
          .apply("HoldVerdictsIfFew", ParDo.of(new HoldIfFewFn(byShuffle)).withSideInputs(byShuffle))
          .setCoder(Duplicates.Coder.of())
          .apply("DuplicatesView", View.asList());
      PCollectionTuple written = keyGroupAndWrite(parsed, "", KeyByDayShardFn.judging(linesPerDay, held, byShuffle,
          rowsPerFile), List.of(linesPerDay, held, byShuffle), writer, TupleTagList.of(QUARANTINE_FILES).and(JUDGED));
      // Empty unless the duplicates were too many to hold: then the events their groups judged.
      PCollectionTuple rewritten = keyGroupAndWrite(written.get(JUDGED).setCoder(ParseRaw.Parsed.Coder.of()), "Judged",
          KeyByDayShardFn.judged(linesPerDay, rowsPerFile), List.of(linesPerDay), writer,
          TupleTagList.of(QUARANTINE_FILES));
      dayFiles.add(written.get(DAY_FILES));
      dayFiles.add(rewritten.get(DAY_FILES));
      quarantineFiles.add(written.get(QUARANTINE_FILES));
      quarantineFiles.add(rewritten.get(QUARANTINE_FILES));
    }
    dayFiles.forEach(f -> f.setCoder(SerializableCoder.of(DayFile.class)));
    quarantineFiles.forEach(f -> f.setCoder(SerializableCoder.of(FileStat.class)));
    PCollectionView<List<DayFile>> eventStats = all("AllEventFiles", dayFiles).apply("EventFileStats", View.asList());
    PCollectionView<List<FileStat>> quarantineStats =
        all("AllQuarantineFiles", quarantineFiles).apply("QuarantineFileStats", View.asList());

    return begin
        .apply("PublishTrigger", Create.of(runId))
        .apply("CheckAndPublish", ParDo.of(new PublishFn(
                new LayerOutputs.Publication(layout, DataLayout.BRONZE, runId, checks, recorder, parameters), asOf,
                linesPerDay, eventStats, quarantineStats))
            .withSideInputs(linesPerDay, eventStats, quarantineStats))
        .setCoder(SerializableCoder.of(Manifest.class));
  }

  /**
   * Keys {@code events} by day shard, groups them, and writes the days and the quarantine; {@code which}
   * names the steps ("" for the parsed events, "Judged" for what the shuffle of duplicates gives back).
   */
  private static PCollectionTuple keyGroupAndWrite(PCollection<ParseRaw.Parsed> events, String which,
      KeyByDayShardFn keying, List<PCollectionView<?>> sideInputs, WriteDayFn writer, TupleTagList outputs) {
    return events
        .apply("Key" + which + "ByEventDayShard", ParDo.of(keying).withSideInputs(sideInputs))
        .setCoder(KvCoder.of(VarLongCoder.of(), ParseRaw.Parsed.Coder.of()))
        .apply("Group" + which + "ByEventDay", GroupInBatches.create())
        .apply("Write" + which + "DaysAndQuarantine", ParDo.of(writer).withOutputTags(DAY_FILES, outputs));
  }

  /** The one collection, or the writers' collections flattened into one. */
  private static <T> PCollection<T> all(String name, List<PCollection<T>> parts) {
    return parts.size() == 1 ? parts.get(0) : PCollectionList.of(parts).apply(name, Flatten.pCollections());
  }

  /**
   * The writers' outputs: the day files written, the quarantine files (when anything failed), and the
   * events of the groups that judged duplicates (when there were too many to hold), to key again.
   */
  static final TupleTag<DayFile> DAY_FILES = new TupleTag<>() {};
  static final TupleTag<FileStat> QUARANTINE_FILES = new TupleTag<>() {};
  static final TupleTag<ParseRaw.Parsed> JUDGED = new TupleTag<>() {};

  /** Whether the run's verdicts are too many to hold as a side input: then a shuffle judges the events. */
  static class HoldOrShuffleFn extends DoFn<Long, Boolean> {
    private final long held;

    /** @param held the most verdicts to hold, or {@link #HELD_BY_HEAP} */
    HoldOrShuffleFn(long held) {
      this.held = held;
    }

    @ProcessElement
    public void process(@Element Long verdicts, OutputReceiver<Boolean> out) {
      long most = heldVerdicts(held);
      boolean shuffle = verdicts > most;
      if (shuffle) {
        LOG.info("{} verdicts on duplicated event_ids, more than the {} a worker holds: they are judged by a "
            + "shuffle of the events by event_id instead", verdicts, most);
      }
      out.output(shuffle);
    }
  }

  /** Passes the verdicts on to the side input unless a shuffle judges them. */
  static class HoldIfFewFn extends DoFn<Duplicates, Duplicates> {
    private final PCollectionView<Boolean> byShuffle;

    HoldIfFewFn(PCollectionView<Boolean> byShuffle) {
      this.byShuffle = byShuffle;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (!c.sideInput(byShuffle)) {
        c.output(c.element());
      }
    }
  }

  /**
   * Where the groups that judge duplicates by a shuffle start: far above every day's key. They hold
   * about a quarter of a file's rows each, since their events still carry their lines.
   */
  static final long JUDGING_BASE = Long.MAX_VALUE / 2;

  /** Whether a grouping key is one of the groups that judge duplicates. */
  static boolean isJudging(long key) {
    return key > JUDGING_BASE / 2;
  }

  /** Most files a day is written in; also spaces the days' keys in the grouping. */
  static final int MAX_FILES_PER_DAY = 1024;

  /**
   * Where the quarantine's groups start: far below every day's key (event days of years 0000-9999
   * give keys within about ±3e9), one range of {@link #MAX_FILES_PER_DAY} keys per Raw day partition.
   */
  static final long QUARANTINE_BASE = Long.MIN_VALUE / 2;

  /** Whether a grouping key is one of the quarantine's. */
  static boolean isQuarantine(long key) {
    return key < QUARANTINE_BASE / 2;
  }

  /** The grouping key of a day's shard (a long: an int overflows for years after 5700). */
  static long dayShardKey(int eventDay, int shard) {
    return (long) eventDay * MAX_FILES_PER_DAY + shard;
  }

  /**
   * Keys each event by its event day and a shard of that day, so that no writer holds more than about
   * {@code rowsPerFile} events: a day is split by a hash of event_id into as many shards as its Raw
   * day partition has lines per {@code rowsPerFile} (one when it has none), a figure fixed by the
   * input, so the same Raw gives the same files. Survivors of de-duplication drop their line's digest
   * here; duplicates become their quarantine record and go with the parse failures, keyed by the Raw day
   * partition of their line and a shard of it, split by a hash of (file, line) in the same number of
   * shards as that partition's lines call for, so no writer holds more than about
   * {@code rowsPerFile} quarantined records either, however many lines a run quarantines. Duplicates
   * are judged here, so the writers read no side input: on Flink's batch runner a step with a side
   * input is not chained to the grouping before it, and every grouped event would be copied once
   * more between the two.
   *
   * <p>When the verdicts are more than a worker holds, this keying judges nothing: each event keeps
   * its line's digest and goes, keyed by a hash of its event_id, to a group that the writer judges
   * ({@link WriteDayFn#judge}), and each parse failure goes to such a group too; what the groups
   * give back is keyed by day by {@link #judged}, so that one writer writes each file.
   */
  static class KeyByDayShardFn extends DoFn<ParseRaw.Parsed, KV<Long, ParseRaw.Parsed>> {
    private final PCollectionView<Map<String, ReadRawLines.Counts>> linesPerDay;
    // Null for events judged already: survivors, and the quarantine records of their duplicates.
    private final PCollectionView<List<Duplicates>> held;
    // Null when no run of these Raw lines can have too many verdicts to hold.
    private final PCollectionView<Boolean> byShuffle;
    private final long rowsPerFile;
    // The side inputs, read once per bundle: looking them up per event showed in profiles.
    private transient Map<String, ReadRawLines.Counts> lines;
    private transient Duplicates dups;
    private transient int judgingGroups; // 0 unless the verdicts are too many to hold
    // Shards per event day (epoch day), worked out once per day rather than once per event.
    private transient Map<Integer, Integer> shardsOfDay;
    // Per Raw day partition: the first key of its quarantine groups, and its number of shards.
    private transient Map<String, long[]> quarantineOfRawDay;

    private KeyByDayShardFn(PCollectionView<Map<String, ReadRawLines.Counts>> linesPerDay,
        PCollectionView<List<Duplicates>> held, PCollectionView<Boolean> byShuffle, long rowsPerFile) {
      this.linesPerDay = linesPerDay;
      this.held = held;
      this.byShuffle = byShuffle;
      this.rowsPerFile = rowsPerFile;
    }

    /** Keys the parsed events, judging their duplicates by {@code held} unless {@code byShuffle} says otherwise. */
    static KeyByDayShardFn judging(PCollectionView<Map<String, ReadRawLines.Counts>> linesPerDay,
        PCollectionView<List<Duplicates>> held, PCollectionView<Boolean> byShuffle, long rowsPerFile) {
      return new KeyByDayShardFn(linesPerDay, held, byShuffle, rowsPerFile);
    }

    /** Keys events that a writer's group judged: survivors as they are, and quarantine records. */
    static KeyByDayShardFn judged(PCollectionView<Map<String, ReadRawLines.Counts>> linesPerDay, long rowsPerFile) {
      return new KeyByDayShardFn(linesPerDay, null, null, rowsPerFile);
    }

    @StartBundle
    public void startBundle() {
      lines = null;
      shardsOfDay = new java.util.HashMap<>();
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (lines == null) {
        lines = c.sideInput(linesPerDay);
        dups = Duplicates.NONE;
        judgingGroups = 0;
        if (byShuffle != null && c.sideInput(byShuffle)) {
          judgingGroups = judgingGroupsFor(ReadRawLines.Counts.lines(lines));
        } else if (held != null) {
          dups = mergedOnce(c.sideInput(held));
        }
        quarantineOfRawDay = new java.util.HashMap<>();
        long base = QUARANTINE_BASE;
        for (Map.Entry<String, ReadRawLines.Counts> day : new TreeMap<>(lines).entrySet()) {
          quarantineOfRawDay.put(day.getKey(), new long[] {base, shardsFor(day.getValue().lines())});
          base += MAX_FILES_PER_DAY;
        }
      }
      ParseRaw.Parsed p = c.element();
      if (judgingGroups > 0) {
        // The parse failures too, so that each quarantine file is written by the second writers only.
        int hash = p.failure() != null ? positionHash(p.failure()) : p.eventIdHash();
        c.output(KV.of(JUDGING_BASE + Math.floorMod(hash, judgingGroups), p));
        return;
      }
      if (p.failure() != null) {
        c.output(KV.of(quarantineKey(p.failure()), p));
        return;
      }
      ParseRaw.Parsed row = p;
      if (held != null) {
        // Read from the event's fields: only a duplicate is decoded here (ParseRaw.Parsed).
        int dropped = dups.keptWith(p);
        if (dropped < 0) {
          StepCounters.quarantined(Failure.DUPLICATE_EVENT_ID).inc();
          Failure f = dups.failure(p.event());
          c.output(KV.of(quarantineKey(f), ParseRaw.Parsed.of(f)));
          return;
        }
        row = p.survivor(dropped);
      }
      int day = p.eventDay();
      int shards = shardsOfDay.computeIfAbsent(day, this::shardsOf);
      c.output(KV.of(dayShardKey(day, Math.floorMod(p.eventIdHash(), shards)), row));
    }

    /** Groups for judging a run's duplicates by a shuffle: about a quarter of a file's rows each. */
    private int judgingGroupsFor(long rawLines) {
      return Parts.of(rawLines, Math.max(1, rowsPerFile / 4), 1, 1 << 20);
    }

    // The last list of chunks merged in this JVM, and its merge. Flink's batch runner hands the
    // tasks of one TaskManager the same list (the embedded runner's and the session cluster's logs
    // show one merge for two tasks), so they share one merged copy instead of each holding its own;
    // weak, so that neither outlives the tasks that read them.
    private static WeakReference<List<Duplicates>> mergedFrom = new WeakReference<>(null);
    private static WeakReference<Duplicates> merged = new WeakReference<>(null);

    /** The merge of {@code chunks}, done once for as long as the same list is in use. */
    static synchronized Duplicates mergedOnce(List<Duplicates> chunks) {
      Duplicates d = merged.get();
      if (d == null || mergedFrom.get() != chunks) {
        d = Duplicates.merge(chunks);
        if (d.size() > 0) {
          LOG.info("duplicates side input: {} verdicts merged from {} chunks", d.size(), chunks.size());
        }
        merged = new WeakReference<>(d);
        mergedFrom = new WeakReference<>(chunks);
      }
      return d;
    }

    private int shardsOf(int eventDay) {
      ReadRawLines.Counts day = lines.get(LocalDate.ofEpochDay(eventDay).toString());
      return shardsFor(day == null ? 0 : day.lines());
    }

    private int shardsFor(long dayLines) {
      return Parts.of(dayLines, rowsPerFile, 1, MAX_FILES_PER_DAY);
    }

    private long quarantineKey(Failure f) {
      long[] day = quarantineOfRawDay.get(ReadRawLines.rawDay(f.sourceFile()));
      if (day == null) {
        // Both sides read the day from the same paths: a miss is a bug, not bad input.
        throw new IllegalStateException("no Raw line count for the day of " + f.sourceFile() + ":" + f.sourceLine());
      }
      return day[0] + Math.floorMod(positionHash(f), (int) day[1]);
    }

    private static int positionHash(Failure f) {
      return 31 * f.sourceFile().hashCode() + Long.hashCode(f.sourceLine());
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
    private final long sortHeldBytes;
    private transient Schema schema;
    private transient BronzeSchema.FieldRows toRows;
    private transient long sortHeld;

    /**
     * @param layout the lakehouse, whose Raw the duplicates' lines are read back from ({@link RawPayloads})
     * @param staging the layer's absolute staging folder
     * @param folder the events' folder relative to the lakehouse root
     * @param quarantineFolder the quarantine's folder relative to the lakehouse root
     * @param sortHeldBytes what a group judging duplicates holds before it sorts on disk ({@link #judge})
     */
    WriteDayFn(DataLayout layout, String staging, String folder, String quarantineFolder, String runId,
        String schemaJson, long sortHeldBytes) {
      this.layout = layout;
      this.staging = staging;
      this.folder = folder;
      this.quarantineFolder = quarantineFolder;
      this.runId = runId;
      this.schemaJson = schemaJson;
      this.sortHeldBytes = SpillingSort.checkHeld(sortHeldBytes);
    }

    @Setup
    public void setup() {
      schema = new Schema.Parser().parse(schemaJson);
      toRows = new BronzeSchema.FieldRows(schema, runId);
      sortHeld = SpillingSort.held(sortHeldBytes, TypeBronze.HEAP_SHARE);
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<ParseRaw.Parsed>> day, MultiOutputReceiver out) throws Exception {
      if (isJudging(day.getKey())) {
        judge(day.getValue(), out.get(JUDGED), sortHeld);
        return;
      }
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
      // The day is held as the bytes its events crossed the shuffle in (two objects an event, where a
      // decoded event is 16 to 26, which the collector copies while the day is held), each with its time
      // for the order, and its type counted as it comes. Each row is made from them as it is written,
      // its texts going to Parquet and the hash as the UTF-8 they arrived in.
      List<DayEvent> rows = new ArrayList<>();
      DayCounts counts = new DayCounts();
      for (ParseRaw.Parsed d : day.getValue()) {
        rows.add(DayEvent.of(d.eventFields(), counts));
      }
      rows.sort(DayEvent.ORDER);
      LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(day.getKey(), MAX_FILES_PER_DAY));
      int shard = (int) Math.floorMod(day.getKey(), (long) MAX_FILES_PER_DAY);
      String partition = DataLayout.dayPartition(date);
      String relative = folder + partition + String.format("/part-%05d.parquet", shard);
      Iterable<GenericRecord> records = () -> rows.stream().map(e -> {
        try {
          return toRows.of(e.fields());
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
   * Judges a group of events keyed by a hash of their event_id, so that every occurrence of an
   * event_id is in it, as {@link TypeBronze} and the keying do from positions: the first occurrence
   * in Raw order survives, counting the others, and each other one becomes its quarantine record.
   * The events are sorted by event_id and position, so only the kept one of an event_id is held
   * while the others are judged; a group larger than {@code heldBytes} (one event_id in very many
   * lines lands in one group) is sorted in runs on local disk.
   */
  static void judge(Iterable<ParseRaw.Parsed> group, DoFn.OutputReceiver<ParseRaw.Parsed> out, long heldBytes)
      throws IOException {
    try (SpillingSort<Occurring> sort = SpillingSort.onLocalDisk(Occurring.ORDER, Occurring.CODER,
        o -> o.parsed().heapBytes(), heldBytes)) {
      long events = 0;
      for (ParseRaw.Parsed p : group) {
        if (p.failure() != null) {
          out.output(p); // a line that failed to parse: on to quarantine as it is
        } else {
          sort.add(Occurring.of(p));
          events++;
        }
      }
      StepCounters.EVENTS_JUDGED_BY_SHUFFLE.inc(events);
      String spill = sort.spillNote("it");
      if (spill != null) {
        LOG.info("duplicates group: {} events, {}", events, spill);
      }
      Iterator<Occurring> sorted = sort.sorted();
      Occurring kept = null;
      byte[] keptDigest = null;
      int dropped = 0;
      while (sorted.hasNext()) {
        Occurring o = sorted.next();
        if (kept != null && kept.eventId().equals(o.eventId())) {
          keptDigest = keptDigest != null ? keptDigest : kept.parsed().lineSha256();
          StepCounters.quarantined(Failure.DUPLICATE_EVENT_ID).inc();
          out.output(ParseRaw.Parsed.of(Duplicates.failure(o.parsed().event(), kept.sourceFile(), kept.sourceLine(),
              Arrays.equals(keptDigest, o.parsed().lineSha256()))));
          dropped++;
        } else {
          if (kept != null) {
            out.output(kept.parsed().survivor(dropped));
          }
          kept = o;
          keptDigest = null;
          dropped = 0;
        }
      }
      if (kept != null) {
        out.output(kept.parsed().survivor(dropped));
      }
    }
  }

  /** A parsed event with the fields it is judged by read once, not at every comparison of a sort. */
  record Occurring(String eventId, String sourceFile, long sourceLine, ParseRaw.Parsed parsed) {
    static final Comparator<Occurring> ORDER = Comparator.comparing(Occurring::eventId)
        .thenComparing(Occurring::sourceFile).thenComparingLong(Occurring::sourceLine);

    /** The event alone goes to disk; its judged fields are read again from it. */
    static final org.apache.beam.sdk.coders.Coder<Occurring> CODER = new org.apache.beam.sdk.coders.AtomicCoder<>() {
      @Override
      public void encode(Occurring o, OutputStream out) throws IOException {
        ParseRaw.Parsed.Coder.of().encode(o.parsed(), out);
      }

      @Override
      public Occurring decode(java.io.InputStream in) throws IOException {
        return of(ParseRaw.Parsed.Coder.of().decode(in));
      }
    };

    static Occurring of(ParseRaw.Parsed p) {
      return new Occurring(p.eventId(), p.sourceFile(), p.sourceLine(), p);
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

  /** An event of a day, held as the fields it crossed the shuffle in, with its time for the day's order. */
  public record DayEvent(long tsMicros, byte[] fields) {
    /** By event_ts, then event_id as Strings order them (read from the fields, where it comes first). */
    public static final Comparator<DayEvent> ORDER = Comparator.comparingLong(DayEvent::tsMicros)
        .thenComparing(DayEvent::fields, BronzeEvent.Coder::compareEventIds);

    /** The event of {@code fields} ({@link ParseRaw.Parsed#eventFields}), its type counted in {@code counts}. */
    public static DayEvent of(byte[] fields, DayCounts counts) throws IOException {
      Frame.Reader r = BronzeEvent.Coder.toEventType(Frame.Reader.of(fields));
      r.field(counts::add);
      return new DayEvent(BronzeEvent.Coder.tsMicrosAfterEventType(r), fields);
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
