package co.pqrs.lakehouse.transforms.gold;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * What Gold needs of one Silver ticket, with the business-time figures already worked out. Missing
 * dimensions read {@link GoldTable#UNKNOWN} so every row has a complete grain.
 *
 * @param hoursToFirstResponse business hours from creation to the first agent message, or null
 * @param hoursToClose business hours from creation to the last closure (closed tickets), or null
 * @param ageBusinessDays whole business days from creation to the as-of (open tickets), or null
 */
public record GoldTicket(
    String ticketId,
    String channel,
    String pqrsType,
    String priority,
    String departmentCode,
    Instant createdTs,
    LocalDate createdDay,
    Instant closedTs,
    LocalDate closedDay,
    Instant firstResponseTs,
    LocalDate firstResponseDay,
    String currentState,
    boolean isOpen,
    String slaStatus,
    Integer slaTargetBusinessDays,
    Instant slaDueTs,
    double slaElapsedBusinessDays,
    int reopenCount,
    Double hoursToFirstResponse,
    Double hoursToClose,
    Integer ageBusinessDays)
    implements Serializable {

  /** The columns of {@code silver_tickets} {@link #fromSilver} reads: Gold reads no other. */
  public static final List<String> SILVER_COLUMNS = List.of("ticket_id", "channel", "pqrs_type", "priority",
      "department_code", "created_ts", "closed_ts", "first_agent_response_ts", "current_state", "is_open",
      "sla_status", "sla_target_business_days", "sla_due_ts", "sla_elapsed_business_days", "reopen_count");

  public static final String IN_TIME = "IN_TIME";
  public static final String LATE = "LATE";

  private static String dim(GenericRecord r, String field) {
    String v = Rows.string(r, field);
    return v == null ? GoldTable.UNKNOWN : v;
  }

  private static Double hours(BusinessCalendar cal, Instant from, Instant to) {
    return from == null || to == null ? null : cal.businessSecondsBetween(from, to) / 3600.0;
  }

  /** Reads a {@code silver_tickets} row, as of {@code asOf}. */
  public static GoldTicket fromSilver(GenericRecord r, BusinessCalendar cal, Instant asOf) {
    Instant created = Rows.instant(r, "created_ts");
    Instant closed = Rows.instant(r, "closed_ts");
    Instant firstResponse = Rows.instant(r, "first_agent_response_ts");
    boolean open = (Boolean) r.get("is_open");
    Object target = r.get("sla_target_business_days");
    Integer age = open && created != null
        ? (int) (cal.businessSecondsBetween(created, asOf) / BusinessCalendar.SECONDS_PER_BUSINESS_DAY) : null;
    return new GoldTicket(
        Rows.string(r, "ticket_id"),
        dim(r, "channel"),
        dim(r, "pqrs_type"),
        dim(r, "priority"),
        dim(r, "department_code"),
        created,
        created == null ? null : cal.localDate(created),
        closed,
        closed == null ? null : cal.localDate(closed),
        firstResponse,
        firstResponse == null ? null : cal.localDate(firstResponse),
        Rows.string(r, "current_state"),
        open,
        Rows.string(r, "sla_status"),
        target == null ? null : (Integer) target,
        Rows.instant(r, "sla_due_ts"),
        Rows.decimal(r, "sla_elapsed_business_days"),
        (int) Rows.number(r, "reopen_count"),
        hours(cal, created, firstResponse),
        open ? null : hours(cal, created, closed),
        age);
  }

  public boolean created() {
    return createdTs != null;
  }

  /** Closed (clock stopped) with a creation, i.e. with an SLA outcome. */
  public boolean closedWithCreation() {
    return !isOpen && created() && closedTs != null;
  }

  /** Open with a creation: part of the backlog. */
  public boolean openWithCreation() {
    return isOpen && created();
  }
}
