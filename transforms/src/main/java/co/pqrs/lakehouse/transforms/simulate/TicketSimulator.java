package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.Categorical;
import co.pqrs.lakehouse.config.DefectKind;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.contracts.RawEventType;
import co.pqrs.lakehouse.reference.Divipola;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Generates the events of one ticket from (seed, day, index) alone.
 *
 * <p>Timing is planned in SLA time: a ticket first decides whether it will breach (sla_breach_rate),
 * then how much of its target it uses (in_time_fraction or late_fraction), and spreads that running
 * time over the path steps. Wall-clock instants come from the business calendar, so the breach rate
 * measured later with the real clock (business days, holidays, pauses) is the one configured. Events
 * at or after {@code asOf} have not happened yet and are left out: those tickets are still open.
 */
public final class TicketSimulator implements Serializable {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter YMD = DateTimeFormatter.BASIC_ISO_DATE;
  private static final long DAY = BusinessCalendar.SECONDS_PER_BUSINESS_DAY;
  private static final long MIN_STEP = 60;

  private final LakehouseConfig cfg;
  private final SimulationConfig sim;
  private final Instant asOf;
  private final Storyline story;
  private final TextMaker text;
  private final Categorical municipalities;
  private final double[] hourCumulative;
  private final DefectInjector defects;

  public TicketSimulator(LakehouseConfig cfg, Instant asOf) {
    this.cfg = cfg;
    this.sim = cfg.simulation();
    this.asOf = asOf;
    this.story = Storyline.of(cfg.status(), sim);
    this.text = new TextMaker(sim.text(), cfg.preclass());
    Map<String, Double> weights = new LinkedHashMap<>();
    double total = cfg.divipola().municipalities().values().stream()
        .mapToDouble(Divipola.Municipality::population).sum();
    for (Divipola.Municipality m : cfg.divipola().municipalities().values()) {
      weights.put(m.code(), m.population() / total);
    }
    this.municipalities = Categorical.of(weights);
    double sum = sim.hourProfile().stream().mapToDouble(Double::doubleValue).sum();
    this.hourCumulative = new double[24];
    double acc = 0;
    for (int h = 0; h < 24; h++) {
      acc += sim.hourProfile().get(h) / sum;
      hourCumulative[h] = acc;
    }
    this.defects = new DefectInjector(cfg.status(), story);
  }

  /** The first instant after the simulated range, in Bogota: events from here on are the future. */
  public static Instant asOf(SimulationConfig c) {
    return c.end().plusDays(1).atStartOfDay(BusinessCalendar.ZONE).toInstant();
  }

  static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Mutable state while one ticket is being written. */
  private final class Builder {
    final String ticketId;
    final boolean utc;
    final List<SimEvent> events = new ArrayList<>();
    int seq;

    Builder(String ticketId, boolean utc) {
      this.ticketId = ticketId;
      this.utc = utc;
    }

    SimEvent add(Instant ts, RawEventType type, ObjectNode data) {
      SimEvent e = new SimEvent(ts, uuid("event:" + ticketId + ":" + seq++), ticketId, type.name(), data, utc);
      events.add(e);
      return e;
    }

    void status(Instant ts, String from, String to) {
      ObjectNode d = NODES.objectNode();
      d.put("from_status", from);
      d.put("to_status", to);
      add(ts, RawEventType.STATUS_CHANGED, d);
    }
  }

  private static BusinessCalendar cal() {
    return BusinessCalendar.colombia();
  }

  private static Instant runFor(Instant from, long seconds) {
    return cal().plusBusinessSeconds(from, Math.max(MIN_STEP, seconds));
  }

  /** All events of ticket {@code index} created on {@code day}, before asOf, sorted by (ts, event_id). */
  public List<SimEvent> ticket(DayPlan day, int index) {
    SplitMix64 rng = new SplitMix64(SplitMix64.derive(day.seed(), "ticket", index));
    String ticketId = uuid("ticket:" + sim.seed() + ":" + day.day() + ":" + index);

    int hour = 0;
    double uh = rng.nextDouble();
    while (hour < 23 && uh >= hourCumulative[hour]) {
      hour++;
    }
    Instant created = day.day().atStartOfDay(BusinessCalendar.ZONE).toInstant()
        .plusSeconds(hour * 3600L + rng.nextInt(3600));
    String channel = sim.channels().sample(rng.nextDouble());
    String type = sim.pqrsTypes().sample(rng.nextDouble());
    String priority = sim.priorities().sample(rng.nextDouble());
    String municipality = municipalities.sample(rng.nextDouble());
    String topic = text.topic(rng);
    Builder b = new Builder(ticketId, sim.utcChannels().contains(channel));

    ObjectNode c = NODES.objectNode();
    c.put("external_id", channel.substring(0, Math.min(3, channel.length())).toUpperCase(java.util.Locale.ROOT)
        + "-" + YMD.format(day.day()) + "-" + String.format("%06d", index + 1));
    c.put("channel", channel);
    c.put("pqrs_type", type);
    c.put("priority", priority);
    c.put("municipality_code", municipality);
    c.put("subject", text.subject(type, topic, rng));
    c.put("text", text.citizen(type, priority, topic, rng));
    b.add(created, RawEventType.TICKET_CREATED, c);

    // SLA plan: total running time until the final close.
    long target = sim.slaBusinessDays().get(type) * DAY;
    boolean breach = rng.chance(sim.slaBreachRate());
    double factor = breach ? sim.lateFraction().at(rng.nextDouble()) : sim.inTimeFraction().at(rng.nextDouble());
    long total = Math.round(factor * target);
    SimulationConfig.Lifecycle lc = sim.lifecycle();
    boolean reopen = rng.chance(lc.reopenRate());
    boolean hold = rng.chance(lc.onHoldRate());
    boolean archive = rng.chance(lc.archiveRate());
    long firstCycle = reopen ? Math.round(total * (0.55 + 0.30 * rng.nextDouble())) : total;

    Instant t = walk(b, created, story.initial(), story.stepsAfter(story.initial()), firstCycle, hold, rng);
    Instant lastClose = t;
    if (reopen) {
      Instant reopened = t.plusSeconds(Math.round(lc.reopenAfterDays().at(rng.nextDouble()) * DAY));
      b.status(reopened, story.stop(), story.reopen());
      List<Integer> steps = new ArrayList<>();
      steps.add(story.path().indexOf(story.reopenTo()));
      steps.addAll(story.stepsAfter(story.reopenTo()));
      lastClose = walk(b, reopened, story.reopen(), steps, total - firstCycle, false, rng);
    }
    Instant end = lastClose;
    if (archive) {
      end = lastClose.plusSeconds(Math.round(lc.archiveAfterDays().at(rng.nextDouble()) * DAY));
      b.status(end, story.stop(), story.archive());
    }

    // Messages: the first is the citizen's, just after creation; the rest spread over the life.
    int messages = sim.messages().perTicket().intAt(rng.nextDouble());
    long span = Math.max(60, end.getEpochSecond() - created.getEpochSecond());
    for (int m = 0; m < messages; m++) {
      boolean citizen = m == 0 || rng.chance(sim.messages().citizenShare());
      Instant ts = m == 0
          ? created.plusSeconds(60 + rng.nextInt(1800))
          : created.plusSeconds(60 + (long) (rng.nextDouble() * span));
      ObjectNode d = NODES.objectNode();
      d.put("author_role", citizen ? "CITIZEN" : "AGENT");
      d.put("text", citizen ? text.citizen(type, priority, topic, rng) : text.agent(topic, rng));
      b.add(ts, RawEventType.MESSAGE_ADDED, d);
    }
    if (rng.chance(sim.attachments().ticketRate())) {
      int n = sim.attachments().perTicket().intAt(rng.nextDouble());
      for (int a = 0; a < n; a++) {
        String mime = sim.attachments().mimeTypes().sample(rng.nextDouble());
        ObjectNode d = NODES.objectNode();
        d.put("file_name", "adjunto-" + (a + 1) + "." + extension(mime));
        d.put("mime_type", mime);
        d.put("size_bytes", Math.round(sim.attachments().sizeBytes().at(rng.nextDouble())));
        b.add(created.plusSeconds(30 + rng.nextInt(3600)), RawEventType.ATTACHMENT_ADDED, d);
      }
    }

    List<SimEvent> out = new ArrayList<>();
    for (SimEvent e : b.events) {
      if (e.ts.isBefore(asOf)) {
        out.add(e);
      }
    }
    DefectKind kind = pickDefect(rng);
    if (kind != null) {
      defects.inject(kind, out, rng, () -> b.seq++);
    }
    out.sort(Comparator.comparing(SimEvent::ts).thenComparing(SimEvent::eventId));
    return out;
  }

  /**
   * Walks the path from {@code from} through {@code steps}, spending {@code running} seconds of SLA
   * time in proportion to the step weights, with an optional pause before the step that follows the
   * pause's branch point. Returns the instant of the last step (the stop).
   */
  private Instant walk(Builder b, Instant start, String from, List<Integer> steps, long running,
      boolean hold, SplitMix64 rng) {
    double w = 0;
    for (int i : steps) {
      w += story.weights().get(i);
    }
    Instant t = start;
    String prev = from;
    for (int i : steps) {
      String step = story.path().get(i);
      long run = Math.round(running * story.weights().get(i) / w);
      if (hold && prev.equals(story.pauseFrom())) {
        long before = Math.round(run * (0.2 + 0.6 * rng.nextDouble()));
        t = runFor(t, before);
        b.status(t, prev, story.pause());
        long paused = Math.round(sim.lifecycle().onHoldBusinessDays().at(rng.nextDouble()) * DAY);
        t = runFor(t, paused);
        b.status(t, story.pause(), prev);
        run -= before;
      }
      t = runFor(t, run);
      b.status(t, prev, step);
      prev = step;
    }
    return t;
  }

  private DefectKind pickDefect(SplitMix64 rng) {
    if (!sim.injectsDefects()) {
      return null;
    }
    double u = rng.nextDouble();
    double acc = 0;
    for (Map.Entry<DefectKind, Double> e : sim.defects().entrySet()) {
      acc += e.getValue();
      if (u < acc) {
        return e.getKey();
      }
    }
    return null;
  }

  private static String extension(String mime) {
    String sub = mime.substring(mime.indexOf('/') + 1);
    if (sub.equals("jpeg")) {
      return "jpg";
    }
    if (sub.contains("wordprocessingml")) {
      return "docx";
    }
    return sub.replaceAll("[^a-z0-9]", "");
  }
}
