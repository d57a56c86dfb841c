package co.pqrs.lakehouse.config;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's configuration ({@code docs/07-config/pqrs_simulation_v1.yaml}), validated on load.
 * Cross-file facts (categories equal to the contract's enums, step names equal to states) are checked
 * by {@link co.pqrs.lakehouse.contracts.ContractCheck}.
 */
public record SimulationConfig(
    long seed,
    LocalDate start,
    LocalDate end,
    int volumeDailyAvg,
    double volumeNoise,
    Map<DayOfWeek, Double> weekdayProfile,
    double holidayFactor,
    List<Double> hourProfile,
    Spikes spikes,
    Categorical channels,
    Categorical pqrsTypes,
    Categorical priorities,
    double slaBreachRate,
    Map<String, Integer> slaBusinessDays,
    Range inTimeFraction,
    Range lateFraction,
    Lifecycle lifecycle,
    Messages messages,
    Attachments attachments,
    List<String> utcChannels,
    Text text,
    Map<DefectKind, Double> defects)
    implements Serializable {

  public static final String FILE = "pqrs_simulation_v1.yaml";

  public record Spikes(int windowCount, int minDays, int maxDays, int minDailyVolume, int maxDailyVolume)
      implements Serializable {}

  public record Lifecycle(
      double onHoldRate,
      Range onHoldBusinessDays,
      double reopenRate,
      Range reopenAfterDays,
      double archiveRate,
      Range archiveAfterDays,
      Map<String, Double> stepWeights)
      implements Serializable {}

  public record Messages(Range perTicket, double citizenShare) implements Serializable {}

  public record Attachments(double ticketRate, Range perTicket, Categorical mimeTypes, Range sizeBytes)
      implements Serializable {}

  public record Text(
      double noKeywordRate,
      double missingAccentsRate,
      double typoRate,
      double mixedCaseRate,
      double priorityKeywordRate,
      List<String> neutralPhrases,
      List<String> topics,
      List<String> citizenTemplates,
      List<String> agentTemplates,
      List<String> subjectTemplates)
      implements Serializable {}

  public long days() {
    return java.time.temporal.ChronoUnit.DAYS.between(start, end) + 1;
  }

  public boolean injectsDefects() {
    return defects.values().stream().anyMatch(r -> r > 0);
  }

  /** A copy with another seed and date range, as the CLI overrides them. */
  public SimulationConfig with(Long newSeed, LocalDate newStart, LocalDate newEnd) {
    SimulationConfig c =
        new SimulationConfig(
            newSeed == null ? seed : newSeed,
            newStart == null ? start : newStart,
            newEnd == null ? end : newEnd,
            volumeDailyAvg, volumeNoise, weekdayProfile, holidayFactor, hourProfile, spikes,
            channels, pqrsTypes, priorities, slaBreachRate, slaBusinessDays, inTimeFraction,
            lateFraction, lifecycle, messages, attachments, utcChannels, text, defects);
    c.validateDates(FILE + " (overridden)");
    return c;
  }

  private void validateDates(String source) {
    if (end.isBefore(start)) {
      throw new ConfigException(source, "date_range", "end " + end + " is before start " + start);
    }
    int needed = spikes.windowCount() * spikes.minDays() + Math.max(0, spikes.windowCount() - 1);
    if (needed > days()) {
      throw new ConfigException(source, "spikes",
          spikes.windowCount() + " windows of at least " + spikes.minDays() + " days (one day apart) need "
              + needed + " days; the date range has " + days() + " (lengthen the range or lower spikes.window_count)");
    }
  }

  public static SimulationConfig parse(String source, String yaml) {
    YamlNode root = YamlNode.parse(source, yaml);
    root.intInRange("version", 1, 1);
    long seed = root.integer("seed");
    YamlNode range = root.map("date_range");
    LocalDate start = range.date("start");
    LocalDate end = range.date("end");
    range.done();

    int avg = root.intInRange("volume_daily_avg", 1, 10_000_000);
    double noise = root.numberInRange("volume_noise", 0, 1);
    Map<String, Double> wd = root.entries("weekday_profile", n -> k -> n.numberInRange(k, 0, 100));
    Map<DayOfWeek, Double> weekday = new EnumMap<>(DayOfWeek.class);
    for (Map.Entry<String, Double> e : wd.entrySet()) {
      try {
        weekday.put(DayOfWeek.valueOf(e.getKey()), e.getValue());
      } catch (IllegalArgumentException ex) {
        throw root.error("weekday_profile." + e.getKey(), "not a day of the week (MONDAY..SUNDAY)");
      }
    }
    if (weekday.size() != 7) {
      throw root.error("weekday_profile", "expected all seven days, got " + weekday.keySet());
    }
    double holidayFactor = root.numberInRange("holiday_factor", 0, 1);
    List<Double> hours = root.numbers("hour_profile");
    if (hours.size() != 24) {
      throw root.error("hour_profile", "expected 24 weights, got " + hours.size());
    }
    if (hours.stream().anyMatch(h -> h < 0) || hours.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw root.error("hour_profile", "weights must be non-negative and not all zero");
    }

    YamlNode sp = root.map("spikes");
    Spikes spikes =
        new Spikes(
            sp.intInRange("window_count", 0, 1000),
            sp.intInRange("min_days", 1, 366),
            sp.intInRange("max_days", 1, 366),
            sp.intInRange("min_daily_volume", 0, 10_000_000),
            sp.intInRange("max_daily_volume", 0, 10_000_000));
    sp.done();
    if (spikes.minDays() > spikes.maxDays()) {
      throw root.error("spikes.min_days", spikes.minDays() + " is greater than max_days " + spikes.maxDays());
    }
    if (spikes.minDailyVolume() > spikes.maxDailyVolume()) {
      throw root.error("spikes.min_daily_volume",
          spikes.minDailyVolume() + " is greater than max_daily_volume " + spikes.maxDailyVolume());
    }

    Categorical channels = Categorical.of(root.probabilities("channel_probs"));
    Categorical types = Categorical.of(root.probabilities("pqrs_type_probs"));
    Categorical priorities = Categorical.of(root.probabilities("priority_probs"));
    double breach = root.numberInRange("sla_breach_rate", 0, 1);
    Map<String, Integer> sla =
        new LinkedHashMap<>(root.entries("sla_business_days", n -> k -> n.intInRange(k, 1, 365)));
    if (!sla.keySet().equals(new java.util.HashSet<>(types.names()))) {
      throw root.error("sla_business_days",
          "types " + sla.keySet() + " differ from pqrs_type_probs " + types.names());
    }
    Range inTime = Range.of(root.range("in_time_fraction", 0, 1));
    Range late = Range.of(root.range("late_fraction", 1, 100));
    if (late.lo() <= 1.0) {
      throw root.error("late_fraction", "must start above 1.0 so that a late ticket is really late");
    }
    if (inTime.hi() >= 1.0) {
      throw root.error("in_time_fraction", "must end below 1.0 so that an in-time ticket is really in time");
    }

    YamlNode lc = root.map("lifecycle");
    Map<String, Double> steps =
        new LinkedHashMap<>(lc.entries("step_weights", n -> k -> n.numberInRange(k, 0, 1000)));
    Lifecycle lifecycle =
        new Lifecycle(
            lc.numberInRange("on_hold_rate", 0, 1),
            Range.of(lc.range("on_hold_business_days", 0, 365)),
            lc.numberInRange("reopen_rate", 0, 1),
            Range.of(lc.range("reopen_after_days", 0, 365)),
            lc.numberInRange("archive_rate", 0, 1),
            Range.of(lc.range("archive_after_days", 0, 365)),
            java.util.Collections.unmodifiableMap(steps));
    lc.done();
    if (steps.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw root.error("lifecycle.step_weights", "weights must not all be zero");
    }

    YamlNode ms = root.map("messages");
    Messages messages =
        new Messages(Range.of(ms.intRange("per_ticket", 1, 1000)), ms.numberInRange("citizen_share", 0, 1));
    ms.done();

    YamlNode at = root.map("attachments");
    Attachments attachments =
        new Attachments(
            at.numberInRange("ticket_rate", 0, 1),
            Range.of(at.intRange("per_ticket", 1, 1000)),
            Categorical.of(at.probabilities("mime_probs")),
            Range.of(at.range("size_bytes", 1, 1e10)));
    at.done();

    YamlNode tx = root.map("text");
    Text text =
        new Text(
            tx.numberInRange("no_keyword_rate", 0, 1),
            tx.numberInRange("missing_accents_rate", 0, 1),
            tx.numberInRange("typo_rate", 0, 1),
            tx.numberInRange("mixed_case_rate", 0, 1),
            tx.numberInRange("priority_keyword_rate", 0, 1),
            tx.strings("neutral_phrases"),
            tx.strings("topics"),
            tx.strings("citizen_templates"),
            tx.strings("agent_templates"),
            tx.strings("subject_templates"));
    tx.done();

    YamlNode ts = root.map("timestamps");
    List<String> utc = ts.strings("utc_channels");
    ts.done();
    for (String ch : utc) {
      if (!channels.names().contains(ch)) {
        throw root.error("timestamps.utc_channels", "\"" + ch + "\" is not a channel of channel_probs");
      }
    }

    Map<String, Double> rawDefects = root.entries("defects", n -> k -> n.numberInRange(k, 0, 1));
    Map<DefectKind, Double> defects = new EnumMap<>(DefectKind.class);
    for (DefectKind k : DefectKind.values()) {
      defects.put(k, 0.0);
    }
    for (Map.Entry<String, Double> e : rawDefects.entrySet()) {
      DefectKind kind = null;
      for (DefectKind k : DefectKind.values()) {
        if (k.key().equals(e.getKey())) {
          kind = k;
        }
      }
      if (kind == null) {
        List<String> known = new ArrayList<>();
        for (DefectKind k : DefectKind.values()) {
          known.add(k.key());
        }
        throw root.error("defects." + e.getKey(), "unknown defect kind; known: " + known);
      }
      defects.put(kind, e.getValue());
    }
    double defectSum = defects.values().stream().mapToDouble(Double::doubleValue).sum();
    if (defectSum > 1.0) {
      throw root.error("defects", "rates sum to " + defectSum + "; a ticket carries at most one defect");
    }
    root.done();

    SimulationConfig c =
        new SimulationConfig(seed, start, end, avg, noise, weekday, holidayFactor, hours, spikes,
            channels, types, priorities, breach, java.util.Collections.unmodifiableMap(sla), inTime,
            late, lifecycle, messages, attachments, utc, text, defects);
    c.validateDates(source);
    return c;
  }
}
