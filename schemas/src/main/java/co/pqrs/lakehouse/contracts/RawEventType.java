package co.pqrs.lakehouse.contracts;

/** Raw event types; {@code RawContractTest} keeps this list equal to the schema's enum. */
public enum RawEventType {
  TICKET_CREATED,
  MESSAGE_ADDED,
  STATUS_CHANGED,
  ATTACHMENT_ADDED
}
