package co.pqrs.lakehouse.transforms.gold;

import static co.pqrs.lakehouse.transforms.gold.Column.key;
import static co.pqrs.lakehouse.transforms.gold.Column.measure;
import static co.pqrs.lakehouse.transforms.gold.Column.optional;

import co.pqrs.lakehouse.transforms.gold.Column.Type;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The Gold tables: grain, measures and meaning (GOLD.md explains every formula). Each is one sorted
 * Parquet file per run under {@code gold/<table>/run_id=R/} and one table {@code gold.<table>} in
 * the serving store, keyed by run_id plus its grain columns.
 */
public enum GoldTable {
  KPI_VOLUME_DAILY("kpi_volume_daily", "Tickets created per day and dimension.", List.of(
      key("day", Type.DATE, "Calendar day of creation, America/Bogota."),
      key("channel", Type.STRING, "Channel of the ticket."),
      key("pqrs_type", Type.STRING, "Declared type: P, Q, R, S."),
      key("priority", Type.STRING, "Declared priority."),
      key("department_code", Type.STRING, "DANE department code."),
      measure("tickets", Type.LONG, "Tickets created."))),
  KPI_BACKLOG_DAILY("kpi_backlog_daily", "Open tickets at the end of every day of the range (a stock, zero-filled).",
      List.of(
          key("day", Type.DATE, "Calendar day, America/Bogota; the last day ends at the as-of instant."),
          key("pqrs_type", Type.STRING, "Declared type."),
          key("department_code", Type.STRING, "DANE department code."),
          measure("open_tickets", Type.LONG, "Tickets created and not closed at the end of the day."),
          measure("created", Type.LONG, "Tickets created that day."),
          measure("closed", Type.LONG, "Tickets whose last closure fell that day."))),
  KPI_SLA_DAILY("kpi_sla_daily", "SLA outcome of the tickets closed per day.", List.of(
      key("day", Type.DATE, "Calendar day of the closure, America/Bogota."),
      key("pqrs_type", Type.STRING, "Declared type."),
      key("channel", Type.STRING, "Channel."),
      measure("closed", Type.LONG, "Tickets closed that day."),
      measure("in_time", Type.LONG, "Closed within their SLA target."),
      measure("late", Type.LONG, "Closed after their SLA target."),
      measure("in_time_pct", Type.DOUBLE, "100 * in_time / closed."),
      optional("mean_business_days_late", Type.DOUBLE, "Mean of (elapsed - target) business days over late tickets."))),
  KPI_FIRST_RESPONSE_DAILY("kpi_first_response_daily", "Business hours from creation to the first agent message,"
      + " per day of that message.", List.of(
          key("day", Type.DATE, "Calendar day of the first agent message, America/Bogota."),
          key("pqrs_type", Type.STRING, "Declared type."),
          key("channel", Type.STRING, "Channel."),
          measure("responses", Type.LONG, "Tickets whose first agent message fell that day."),
          measure("mean_business_hours", Type.DOUBLE, "Mean business hours to the first agent message."),
          measure("p50_business_hours", Type.DOUBLE, "Median (nearest rank)."),
          measure("p90_business_hours", Type.DOUBLE, "90th percentile (nearest rank)."))),
  KPI_CLOSE_TIME_DAILY("kpi_close_time_daily", "Business hours from creation to the last closure, per closing day.",
      List.of(
          key("day", Type.DATE, "Calendar day of the closure, America/Bogota."),
          key("pqrs_type", Type.STRING, "Declared type."),
          key("channel", Type.STRING, "Channel."),
          measure("closed", Type.LONG, "Tickets closed that day."),
          measure("mean_business_hours", Type.DOUBLE, "Mean business hours from creation to closure."),
          measure("p50_business_hours", Type.DOUBLE, "Median (nearest rank)."),
          measure("p90_business_hours", Type.DOUBLE, "90th percentile (nearest rank)."))),
  KPI_AGING("kpi_aging", "Open tickets at the as-of instant by age in business days.", List.of(
      key("pqrs_type", Type.STRING, "Declared type."),
      key("department_code", Type.STRING, "DANE department code."),
      key("age_bucket", Type.STRING, "0-3, 4-7, 8-15 or >15 whole business days since creation."),
      measure("open_tickets", Type.LONG, "Open tickets in the bucket."),
      optional("mean_age_business_days", Type.DOUBLE, "Mean age of those tickets, business days."))),
  KPI_REOPEN_RATE("kpi_reopen_rate", "How often closed tickets come back.", List.of(
      key("pqrs_type", Type.STRING, "Declared type."),
      key("channel", Type.STRING, "Channel."),
      measure("tickets", Type.LONG, "Tickets created."),
      measure("closed_once", Type.LONG, "Tickets closed at least once."),
      measure("reopened", Type.LONG, "Tickets reopened at least once."),
      measure("reopens", Type.LONG, "CLOSED -> REOPENED cycles."),
      optional("reopen_rate", Type.DOUBLE, "reopened / closed_once."))),
  KPI_TRANSITION_MATRIX("kpi_transition_matrix", "Status changes by origin and destination state.", List.of(
      key("from_status", Type.STRING, "State left."),
      key("to_status", Type.STRING, "State entered."),
      measure("transitions", Type.LONG, "Status changes."),
      measure("invalid", Type.LONG, "Of which not allowed by the state machine or not chained."),
      measure("mean_business_hours_in_from", Type.DOUBLE, "Mean business hours spent in from_status."))),
  KPI_CLASSIFIER_AGREEMENT("kpi_classifier_agreement", "Rules pre-classification against the declared type.",
      List.of(
          key("declared_type", Type.STRING, "Declared type."),
          key("predicted_type", Type.STRING, "Type the rules predicted, or UNCLASSIFIED."),
          measure("tickets", Type.LONG, "Tickets."),
          measure("share_of_declared", Type.DOUBLE, "tickets / tickets of that declared type."),
          measure("agrees", Type.BOOLEAN, "predicted_type = declared_type."))),
  TS_NATIONAL_DAILY("ts_national_daily", "National daily series with 7-day moving averages and changes.",
      seriesColumns(List.of())),
  TS_DEPARTMENT_DAILY("ts_department_daily", "Daily series per department, as the national one.",
      seriesColumns(List.of(key("department_code", Type.STRING, "DANE department code.")))),
  TICKET_SNAPSHOT("ticket_snapshot", "Each ticket's state and SLA status at the as-of instant.", List.of(
      key("ticket_id", Type.STRING, "Ticket.").withoutDictionary(),
      measure("channel", Type.STRING, "Channel."),
      measure("pqrs_type", Type.STRING, "Declared type."),
      measure("priority", Type.STRING, "Declared priority."),
      measure("department_code", Type.STRING, "DANE department code."),
      optional("created_ts", Type.TIMESTAMP, "Creation instant, null for a ticket without TICKET_CREATED.").withoutDictionary(),
      optional("closed_ts", Type.TIMESTAMP, "Last closure, null while never closed.").withoutDictionary(),
      measure("current_state", Type.STRING, "State at the as-of instant."),
      measure("is_open", Type.BOOLEAN, "SLA clock not stopped."),
      optional("sla_status", Type.STRING, "IN_TIME, LATE (closed); HEALTHY, AT_RISK, OVERDUE (open)."),
      optional("sla_due_ts", Type.TIMESTAMP, "When the running SLA time reaches the target.").withoutDictionary(),
      measure("sla_elapsed_business_days", Type.DOUBLE, "SLA time used, business days.").withoutDictionary(),
      optional("age_business_days", Type.INT, "Whole business days from creation to the as-of (open tickets)."),
      measure("reopen_count", Type.INT, "CLOSED -> REOPENED cycles."),
      measure("as_of", Type.TIMESTAMP, "The instant the snapshot describes.")));

  /** Dimension value of a ticket that lacks it (e.g. events without TICKET_CREATED). */
  public static final String UNKNOWN = "unknown";

  public final String table;
  public final String doc;
  public final List<Column> columns;

  GoldTable(String table, String doc, List<Column> grainAndMeasures) {
    this.table = table;
    this.doc = doc;
    List<Column> all = new ArrayList<>();
    all.add(key("run_id", Type.STRING, "Run that produced the row."));
    all.addAll(grainAndMeasures);
    this.columns = List.copyOf(all);
  }

  private static List<Column> seriesColumns(List<Column> area) {
    List<Column> c = new ArrayList<>(area);
    c.add(key("day", Type.DATE, "Calendar day, America/Bogota."));
    c.add(measure("created", Type.LONG, "Tickets created."));
    c.add(measure("closed", Type.LONG, "Tickets whose last closure fell that day."));
    c.add(measure("backlog", Type.LONG, "Open tickets at the end of the day."));
    c.add(optional("created_ma7", Type.DOUBLE, "Mean of created over the 7 days ending that day; null before 7 days."));
    c.add(optional("closed_ma7", Type.DOUBLE, "Mean of closed over the 7 days ending that day."));
    c.add(optional("created_change_1d", Type.LONG, "created minus the previous day's."));
    c.add(optional("created_change_7d", Type.LONG, "created minus the same weekday a week before."));
    c.add(optional("backlog_change_1d", Type.LONG, "backlog minus the previous day's."));
    c.add(optional("backlog_change_7d", Type.LONG, "backlog minus a week before."));
    return c;
  }

  public List<Column> keyColumns() {
    return columns.stream().filter(Column::key).toList();
  }

  /** The Avro schema of the table's Parquet file (key columns first, so sorting rows sorts by grain). */
  public Schema schema() {
    List<Schema.Field> fields = new ArrayList<>();
    for (Column c : columns) {
      fields.add(c.avroField());
    }
    StringBuilder record = new StringBuilder("Gold");
    for (String part : table.split("_")) {
      record.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return Schema.createRecord(record.toString(), doc, "co.pqrs.lakehouse.gold.v1", false, fields);
  }

  public String schemaJson() {
    return schema().toString(true);
  }
}
