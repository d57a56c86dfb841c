package co.pqrs.lakehouse.transforms.silver;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.StatusModel;
import co.pqrs.lakehouse.contracts.EpochMicros;
import co.pqrs.lakehouse.contracts.RawEventType;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.reference.Divipola;
import co.pqrs.lakehouse.transforms.bronze.BronzeEvent;
import co.pqrs.lakehouse.transforms.io.FileStat;
import co.pqrs.lakehouse.transforms.io.GroupInBatches;
import co.pqrs.lakehouse.transforms.io.HeldBlocks;
import co.pqrs.lakehouse.transforms.io.Parts;
import co.pqrs.lakehouse.transforms.io.WriteSortedTableFn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Curates Bronze events, coded as Silver reads them
 * ({@link co.pqrs.lakehouse.transforms.bronze.BronzeSchema.CodedReader}), into the Silver tables:
 * events grouped per ticket (in hash buckets, see
 * {@link co.pqrs.lakehouse.transforms.bronze.TypeBronze#MIN_BUCKETS} for why), each ticket replayed by
 * {@link TicketHistory} and classified by {@link Preclassifier}; each bucket's rows of a table are
 * written, sorted, as that table's shard {@code part-<bucket>.parquet}.
 *
 * <p>The bucket writes its own files because it already holds its tickets' events: sending their rows
 * through a second grouping to writers (as Gold does) encoded, sorted and decoded every Silver row
 * once more, and, on Flink's batch runner, once per output of the step (profile in
 * docs/benchmarks/changes.md, sixth change).
 */
public class CurateSilver extends PTransform<PCollection<BronzeEvent.Coded>, PCollectionTuple> {
  /** The files written under the layer's staging folder, one per bucket and table that has rows. */
  public static final TupleTag<FileStat> FILES = new TupleTag<>() {};

  /**
   * The Bronze columns the curation reads; Silver's reader asks Parquet for these only, and the
   * events' other fields stay empty ({@link co.pqrs.lakehouse.transforms.bronze.BronzeSchema.CodedReader}):
   * the source position, subject, reason and the like are neither decoded nor carried through the
   * grouping by ticket.
   */
  public static final List<String> BRONZE_COLUMNS = List.of("event_id", "ticket_id", "event_type", "event_ts",
      "external_id", "channel", "pqrs_type", "priority", "municipality_code", "text", "author_role", "from_status",
      "to_status", "file_name", "mime_type", "size_bytes");

  /**
   * Named counts (Bronze rows read, tickets, violations, classifier agreement, events set aside),
   * summed per bucket here and per run by the caller.
   */
  public static final TupleTag<KV<String, Long>> FACTS = new TupleTag<>() {};

  /** Bronze events a bucket is sized for: a bucket's events and rows are held in memory. */
  public static final long EVENTS_PER_BUCKET = 100_000;
  /** Fewest buckets, so that even a small run is replayed on more than one worker. */
  public static final int MIN_BUCKETS = 4;
  static final int MAX_BUCKETS = 1024;

  /**
   * Buckets (and so shards of every table) for a Bronze run of {@code bronzeRows} rows: a function
   * of the input only, so the same input gives the same files on any runner and parallelism.
   */
  public static int bucketsFor(long bronzeRows) {
    return Parts.of(bronzeRows, EVENTS_PER_BUCKET, MIN_BUCKETS, MAX_BUCKETS);
  }

  private final LakehouseConfig config;
  private final String runId;
  private final Instant asOf;
  private final String rulesVersion;
  private final String staging;
  private final List<WriteSortedTableFn.Target> targets;
  private final int buckets;

  /** Curates and writes under {@code layout}'s Silver staging folder for {@code runId}, in {@code buckets} shards. */
  public CurateSilver(LakehouseConfig config, DataLayout layout, String runId, Instant asOf, String rulesVersion,
      int buckets) {
    this.config = config;
    this.runId = runId;
    this.asOf = asOf;
    this.rulesVersion = rulesVersion;
    this.staging = layout.staging(DataLayout.SILVER, runId);
    List<WriteSortedTableFn.Target> t = new ArrayList<>();
    for (SilverTables table : SilverTables.values()) {
      t.add(WriteSortedTableFn.Target.of(layout, DataLayout.SILVER, runId, table.table, table.schemaJson()));
    }
    this.targets = List.copyOf(t);
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("buckets must be 1.." + MAX_BUCKETS + ", got " + buckets);
    }
    this.buckets = buckets;
  }

  @Override
  public PCollectionTuple expand(PCollection<BronzeEvent.Coded> events) {
    int n = buckets;
    PCollectionTuple out = events
        // Coded where Bronze's rows are read: the replay holds a bucket's events as these bytes.
        .apply("KeyByTicketBucket", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(),
                TypeDescriptor.of(BronzeEvent.Coded.class)))
            .via((BronzeEvent.Coded e) -> KV.of(Math.floorMod(e.ticketHash(), n), e)))
        .setCoder(KvCoder.of(VarIntCoder.of(), BronzeEvent.Coded.Coder.of()))
        .apply("GroupByTicketBucket", GroupInBatches.create())
        .apply("ReplayAndWriteTickets", ParDo.of(new ReplayFn(config, runId, asOf, rulesVersion, staging, targets, buckets))
            .withOutputTags(FILES, TupleTagList.of(FACTS)));
    out.get(FILES).setCoder(SerializableCoder.of(FileStat.class));
    out.get(FACTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return out;
  }

  static class ReplayFn extends DoFn<KV<Integer, Iterable<BronzeEvent.Coded>>, FileStat> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplayFn.class);
    private final LakehouseConfig config;
    private final String runId;
    private final Instant asOf;
    private final String rulesVersion;
    private final String staging;
    private final List<WriteSortedTableFn.Target> targets;
    private final int buckets;
    private transient Map<SilverTables, Schema> schemas;
    private transient java.util.Set<SilverTables> ticketOrdered;
    private transient Preclassifier classifier;
    private transient HeldBlocks held;

    ReplayFn(LakehouseConfig config, String runId, Instant asOf, String rulesVersion, String staging,
        List<WriteSortedTableFn.Target> targets, int buckets) {
      this.config = config;
      this.runId = runId;
      this.asOf = asOf;
      this.rulesVersion = rulesVersion;
      this.staging = staging;
      this.targets = targets;
      this.buckets = buckets;
    }

    @Setup
    public void setup() {
      schemas = new EnumMap<>(SilverTables.class);
      ticketOrdered = java.util.EnumSet.noneOf(SilverTables.class);
      for (SilverTables t : SilverTables.values()) {
        schemas.put(t, t.schema());
        if (schemas.get(t).getFields().get(0).name().equals("ticket_id")) {
          ticketOrdered.add(t); // sorted by ticket_id first: BucketRows writes its rows as they come
        }
      }
      classifier = new Preclassifier(config.preclass(), rulesVersion);
      held = new HeldBlocks();
    }

    private static Long micros(Instant t) {
      return t == null ? null : EpochMicros.of(t);
    }

    private GenericRecord record(SilverTables t) {
      GenericData.Record r = new GenericData.Record(schemas.get(t));
      r.put("run_id", runId);
      return r;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<BronzeEvent.Coded>> bucket, MultiOutputReceiver out)
        throws Exception {
      // The bucket's events held as their bytes, by ticket, in blocks this step reuses from bucket to
      // bucket (HeldBlocks: held as an array each, a bucket was promoted and compacted in full
      // collections); a ticket's are decoded when it is replayed.
      Map<String, List<BronzeEvent.Coded>> byTicket = new HashMap<>();
      long read = 0;
      held.clear();
      for (BronzeEvent.Coded e : bucket.getValue()) {
        byTicket.computeIfAbsent(e.ticketId(), k -> new ArrayList<>()).add(e.heldIn(held));
        read++;
      }
      // Tickets replayed in the order of their ids in the tables (BucketRows), sorted once: a sorted map's
      // insert for every event cost more (4 % of Silver's profile).
      String[] ticketIds = byTicket.keySet().toArray(new String[0]);
      Arrays.sort(ticketIds, WriteSortedTableFn.TEXT_ORDER);
      // Counted here and sent once per bucket: one count per ticket would be most of the output.
      Map<String, Long> facts = new TreeMap<>();
      facts.put("bronze_rows", read);
      StatusModel model = config.status();
      LOG.info("silver: replaying bucket {} of {}: {} tickets", bucket.getKey() + 1, buckets, byTicket.size());
      BucketRows rows = new BucketRows(bucket.getKey());
      for (String ticketId : ticketIds) {
        List<BronzeEvent.Coded> coded = byTicket.remove(ticketId);
        List<BronzeEvent> events = new ArrayList<>(coded.size());
        coded.forEach(e -> events.add(e.event()));
        BronzeEvent created = TicketHistory.creation(events, asOf);
        Long target = null;
        if (created != null && config.simulation().slaBusinessDays().containsKey(created.pqrsType())) {
          target = config.simulation().slaBusinessDays().get(created.pqrsType()).longValue();
        }
        TicketHistory.Replay r = TicketHistory.replay(ticketId, events, model, target, asOf);
        rows.add(SilverTables.TICKETS, ticketRow(r, created));
        java.util.function.BiConsumer<String, Long> fact = (k, v) -> facts.merge(k, v, Long::sum);
        fact.accept("tickets", 1L);
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        r.violations().forEach(v -> kinds.add(v.substring(0, v.indexOf(':'))));
        kinds.forEach(k -> fact.accept("violation." + k, 1L));
        if (!kinds.isEmpty()) {
          fact.accept("violation.any", 1L);
        }
        long creations = 0;
        long later = 0;
        for (BronzeEvent e : events) {
          boolean future = Instant.EPOCH.plus(e.tsMicros(), ChronoUnit.MICROS).isAfter(asOf);
          if (future) {
            later++;
          } else if (e.eventType().equals(RawEventType.TICKET_CREATED.name())) {
            creations++;
          }
        }
        // Rows that reach no table: events after the as-of instant, and extra creations of a ticket.
        fact.accept("set_aside.after_as_of", later);
        fact.accept("set_aside.extra_creations", Math.max(0, creations - 1));
        fact.accept("rows.creations", Math.min(1, creations));
        for (TicketHistory.StatusStep s : r.steps()) {
          GenericRecord row = record(SilverTables.STATUS_EVENTS);
          row.put("ticket_id", r.ticketId());
          row.put("sequence", s.sequence());
          row.put("event_id", s.eventId());
          row.put("from_status", s.fromStatus());
          row.put("to_status", s.toStatus());
          row.put("status_ts", micros(s.ts()));
          row.put("business_seconds_in_previous", s.businessSecondsInPrevious());
          row.put("is_valid", s.valid());
          rows.add(SilverTables.STATUS_EVENTS, row);
        }
        for (int i = 0; i < events.size(); i++) {
          BronzeEvent e = events.get(i);
          if (Instant.EPOCH.plus(e.tsMicros(), ChronoUnit.MICROS).isAfter(asOf)) {
            continue;
          }
          // Sorted by their own ids, not ticket_id: held as the event and that id until the bucket's end.
          if (e.eventType().equals(RawEventType.MESSAGE_ADDED.name())) {
            String messageId = UUID.nameUUIDFromBytes(("message:" + e.eventId()).getBytes(StandardCharsets.UTF_8)).toString();
            rows.hold(SilverTables.MESSAGES, messageId, coded.get(i));
          } else if (e.eventType().equals(RawEventType.ATTACHMENT_ADDED.name())) {
            rows.hold(SilverTables.ATTACHMENTS, e.eventId(), coded.get(i));
          }
        }
        if (created != null) {
          Preclassifier.Result c = classifier.classify(created.text());
          GenericRecord row = record(SilverTables.PRECLASSIFICATION);
          row.put("ticket_id", r.ticketId());
          row.put("rules_version", c.rulesVersion());
          row.put("declared_type", created.pqrsType());
          row.put("predicted_type", c.type().label());
          row.put("type_score", c.type().score());
          row.put("type_keywords", String.join("|", c.type().matched()));
          row.put("declared_priority", created.priority());
          row.put("predicted_priority", c.priority().label());
          row.put("priority_score", c.priority().score());
          row.put("priority_keywords", String.join("|", c.priority().matched()));
          row.put("type_agrees", c.type().label().equals(created.pqrsType()));
          rows.add(SilverTables.PRECLASSIFICATION, row);
          fact.accept("classifier.rows", 1L);
          fact.accept("classifier.agrees", c.type().label().equals(created.pqrsType()) ? 1L : 0L);
          fact.accept("classifier.confusion." + created.pqrsType() + "->" + c.type().label(), 1L);
        }
      }
      rows.finish(out.get(FILES));
      facts.forEach((k, v) -> out.get(FACTS).output(KV.of(k, v)));
    }

    private GenericRecord heldRow(SilverTables table, WriteSortedTableFn.Pending<BronzeEvent.Coded> p) {
      return switch (table) {
        case MESSAGES -> messageRow(p.first(), p.source().event());
        case ATTACHMENTS -> attachmentRow(p.source().event());
        default -> throw new IllegalStateException(table + " has no held rows");
      };
    }

    private GenericRecord messageRow(String messageId, BronzeEvent e) {
      GenericRecord row = record(SilverTables.MESSAGES);
      row.put("message_id", messageId);
      row.put("ticket_id", e.ticketId());
      row.put("event_id", e.eventId());
      row.put("message_ts", e.tsMicros());
      row.put("author_role", e.authorRole());
      row.put("text", e.text());
      row.put("text_length", e.text().length());
      return row;
    }

    private GenericRecord attachmentRow(BronzeEvent e) {
      GenericRecord row = record(SilverTables.ATTACHMENTS);
      row.put("event_id", e.eventId());
      row.put("ticket_id", e.ticketId());
      row.put("attachment_ts", e.tsMicros());
      row.put("file_name", e.fileName());
      row.put("mime_type", e.mimeType());
      row.put("size_bytes", e.sizeBytes());
      return row;
    }

    /**
     * A bucket's rows on their way to its shards. Tickets are replayed in the order of their ids in
     * the tables, so a table sorted by ticket_id first (tickets, status events, pre-classification:
     * one row per ticket, or its steps in sequence) gets its rows in its order, and they go to its
     * file as they are made ({@link WriteSortedTableFn.InOrder}). The other tables (messages and
     * attachments, sorted by their own ids) wait for the bucket's end as the held event each row is
     * made of and that id, and their rows are made as they are written: a bucket that held their rows
     * had the collector copy and promote them (docs/benchmarks/changes.md, thirty-seventh and
     * sixty-third changes).
     */
    private final class BucketRows {
      private final int bucket;
      private final Map<SilverTables, WriteSortedTableFn.InOrder> streamed = new EnumMap<>(SilverTables.class);
      private final Map<SilverTables, List<WriteSortedTableFn.Pending<BronzeEvent.Coded>>> held =
          new EnumMap<>(SilverTables.class);

      BucketRows(int bucket) {
        this.bucket = bucket;
      }

      /** A row of a table sorted by its own id ({@code first}), made from {@code event} when written. */
      void hold(SilverTables table, String first, BronzeEvent.Coded event) {
        held.computeIfAbsent(table, t -> new ArrayList<>()).add(new WriteSortedTableFn.Pending<>(first, event));
      }

      void add(SilverTables table, GenericRecord row) throws java.io.IOException {
        if (!ticketOrdered.contains(table)) {
          throw new IllegalStateException(table + " is not sorted by ticket_id first: its rows are held, not added");
        }
        WriteSortedTableFn.InOrder file = streamed.get(table);
        if (file == null) {
          file = new WriteSortedTableFn.InOrder(DataLayout.SILVER, staging, targets.get(table.ordinal()),
              schemas.get(table), bucket);
          streamed.put(table, file);
        }
        file.write(row);
      }

      /** Writes the held tables and closes the others, in the tables' order; a table without rows has no file. */
      void finish(OutputReceiver<FileStat> files) throws Exception {
        for (SilverTables table : SilverTables.values()) {
          if (streamed.containsKey(table)) {
            files.output(streamed.remove(table).finish());
          } else if (held.containsKey(table)) {
            files.output(WriteSortedTableFn.writeShardFromFirstField(DataLayout.SILVER, staging,
                targets.get(table.ordinal()), schemas.get(table), bucket, held.remove(table), p -> heldRow(table, p)));
          }
        }
      }
    }

    private GenericRecord ticketRow(TicketHistory.Replay r, BronzeEvent created) {
      GenericRecord row = record(SilverTables.TICKETS);
      row.put("ticket_id", r.ticketId());
      if (created != null) {
        row.put("external_id", created.externalId());
        row.put("channel", created.channel());
        row.put("pqrs_type", created.pqrsType());
        row.put("priority", created.priority());
        row.put("municipality_code", created.municipalityCode());
        Divipola.Municipality m = config.divipola().municipalities().get(created.municipalityCode());
        if (m != null) {
          Divipola.Department d = config.divipola().departments().get(m.departmentCode());
          row.put("municipality_name", m.name());
          row.put("department_code", d.code());
          row.put("department_name", d.name());
          row.put("natural_region", d.naturalRegion());
        }
        row.put("created_day", (int) BusinessCalendar.colombia().localDate(r.createdTs()).toEpochDay());
      }
      row.put("created_ts", micros(r.createdTs()));
      row.put("radicated_ts", micros(r.radicatedTs()));
      row.put("first_agent_response_ts", micros(r.firstAgentResponseTs()));
      row.put("responded_ts", micros(r.respondedTs()));
      row.put("closed_ts", micros(r.closedTs()));
      row.put("archived_ts", micros(r.archivedTs()));
      row.put("current_state", r.currentState());
      StatusModel.SlaBehavior b = config.status().state(r.currentState()).slaBehavior();
      boolean stopped = b == StatusModel.SlaBehavior.STOP || (b == StatusModel.SlaBehavior.NONE && r.closedTs() != null);
      row.put("is_open", !stopped);
      row.put("reopen_count", r.reopenCount());
      row.put("on_hold_count", r.onHoldCount());
      row.put("on_hold_business_seconds", r.onHoldBusinessSeconds());
      row.put("message_count", r.messageCount());
      row.put("attachment_count", r.attachmentCount());
      row.put("sla_target_business_days", r.slaTargetBusinessDays() == null ? null : r.slaTargetBusinessDays().intValue());
      row.put("sla_due_ts", micros(r.slaDueTs()));
      row.put("sla_elapsed_business_days", r.slaElapsedBusinessSeconds() / (double) BusinessCalendar.SECONDS_PER_BUSINESS_DAY);
      row.put("sla_status", r.slaStatus());
      row.put("lifecycle_valid", r.lifecycleValid());
      row.put("first_violation", r.firstViolation());
      row.put("violation_count", r.violations().size());
      return row;
    }
  }
}
