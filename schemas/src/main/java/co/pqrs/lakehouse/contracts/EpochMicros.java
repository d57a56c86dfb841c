package co.pqrs.lakehouse.contracts;

import java.time.Instant;

/**
 * Instants as the microseconds since the epoch that every timestamp column holds (Avro
 * {@code timestamp-micros}). {@code ChronoUnit.MICROS.between} goes through nanoseconds and
 * overflows after the year 2262; the contract allows any four-digit year.
 */
public final class EpochMicros {
  private EpochMicros() {}

  public static long of(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }
}
