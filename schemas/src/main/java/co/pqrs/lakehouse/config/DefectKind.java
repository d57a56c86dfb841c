package co.pqrs.lakehouse.config;

/**
 * Defects the simulator can inject into Raw, one per affected ticket. The YAML key of each is its
 * lower-case name; later layers must detect each of them.
 */
public enum DefectKind {
  /** A line that is not valid JSON (cut short). */
  MALFORMED_JSON,
  /** An event written twice with the same event_id, the second copy with a changed field. */
  DUPLICATE_EVENT,
  /** An event whose event_type is not in the contract. */
  UNKNOWN_EVENT_TYPE,
  /** A TICKET_CREATED whose priority is not one of the contract's values. */
  WRONG_ENUM,
  /** A timestamp without an offset. */
  BAD_TIMESTAMP,
  /** Two consecutive status changes whose timestamps are swapped. */
  OUT_OF_ORDER,
  /** A status change to a state the state machine does not allow from the current one. */
  INVALID_TRANSITION,
  /** An event for a ticket that was never created. */
  ORPHAN_EVENT;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
