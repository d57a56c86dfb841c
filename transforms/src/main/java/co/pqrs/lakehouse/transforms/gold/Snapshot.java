package co.pqrs.lakehouse.transforms.gold;

import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** One {@code ticket_snapshot} row per ticket: no aggregation, the ticket as of the as-of instant. */
public final class Snapshot {
  private Snapshot() {}

  public static GenericRecord row(Schema s, String runId, Instant asOf, GoldTicket t) {
    return Rows.of(s, runId, t.ticketId(), t.channel(), t.pqrsType(), t.priority(), t.departmentCode(),
        t.createdTs(), t.closedTs(), t.currentState(), t.isOpen(), t.slaStatus(), t.slaDueTs(),
        t.slaElapsedBusinessDays(), t.ageBusinessDays(), t.reopenCount(), asOf);
  }
}
