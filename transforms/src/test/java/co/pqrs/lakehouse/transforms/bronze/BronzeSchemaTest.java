package co.pqrs.lakehouse.transforms.bronze;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import co.pqrs.lakehouse.transforms.io.ParquetConfig;
import co.pqrs.lakehouse.transforms.silver.CurateSilver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.Test;

public class BronzeSchemaTest {
  private static final BronzeEvent EVENT = new BronzeEvent("e-1", "t-1", "TICKET_CREATED", "1.0", 1_741_010_400_000_000L,
      -300, 20_150, "WEB-1", "web", "P", "alta", "11001", "Asunto", "Solicito información", "CITIZEN", null,
      "RECEIVED", "motivo", "a.pdf", "application/pdf", 2048L, "raw/pqrs/run_id=r/day=2025-03-03/part-00000.jsonl",
      7L, "{}".getBytes(StandardCharsets.UTF_8), 2);

  @Test
  public void aWholeRowReadBackIsTheEventItWasWrittenFrom() {
    Schema s = BronzeSchema.schema();
    BronzeEvent back = BronzeSchema.fromRecord(BronzeSchema.rows(s, "r").apply(EVENT));
    // The line's digest is not a column: only de-duplication, before the write, needs it.
    assertArrayEquals(new byte[0], back.lineSha256());
    assertEquals(EVENT.survivor(EVENT.duplicatesDropped()), back.survivor(back.duplicatesDropped()));
  }

  @Test
  public void aRowOfSilversColumnsKeepsThemAndLeavesTheOtherFieldsEmpty() {
    Schema s = BronzeSchema.schema();
    GenericRecord whole = BronzeSchema.rows(s, "r").apply(EVENT);
    GenericRecord read = silversColumns(whole);
    BronzeEvent e = BronzeSchema.fromRecord(read);
    assertEquals(List.of("e-1", "t-1", "TICKET_CREATED", 1_741_010_400_000_000L, "WEB-1", "web", "P", "alta", "11001",
        "Solicito información", "CITIZEN", "RECEIVED", "a.pdf", "application/pdf", 2048L),
        List.of(e.eventId(), e.ticketId(), e.eventType(), e.tsMicros(), e.externalId(), e.channel(), e.pqrsType(),
            e.priority(), e.municipalityCode(), e.text(), e.authorRole(), e.toStatus(), e.fileName(), e.mimeType(),
            e.sizeBytes()));
    assertEquals(null, e.fromStatus());
    assertEquals(List.of("", 0, 0, "", 0L, 0), List.of(e.schemaVersion(), e.offsetMinutes(), e.eventDay(),
        e.sourceFile(), e.sourceLine(), e.duplicatesDropped()));
    assertEquals(null, e.subject());
    assertEquals(null, e.reason());
  }

  /** One reader given rows of two schemas in turn looks each schema's columns up again: no stale positions. */
  @Test
  public void aReaderFollowsTheSchemaOfEachRow() {
    Schema s = BronzeSchema.schema();
    GenericRecord whole = BronzeSchema.rows(s, "r").apply(EVENT);
    GenericRecord read = silversColumns(whole);
    BronzeSchema.Reader reader = new BronzeSchema.Reader();
    for (int i = 0; i < 3; i++) {
      assertEquals(EVENT.survivor(2), reader.apply(whole).survivor(2));
      BronzeEvent e = reader.apply(read);
      assertEquals(List.of("e-1", "Solicito información", "", 0), List.of(e.eventId(), e.text(), e.sourceFile(),
          e.duplicatesDropped()));
    }
  }

  /**
   * The day writer makes each row from an event's coded fields, in one record with reused text
   * buffers: each row must be the row of its event, whatever the row before it held (a long text
   * then a short one, a value then a null).
   */
  @Test
  public void rowsFromEventsFieldsAreTheRowsOfTheEvents() throws Exception {
    Schema s = BronzeSchema.schema();
    BronzeEvent sparse = new BronzeEvent("e-2", "t-2", "MESSAGE_ADDED", "1.0", 5L, 0, 1, null, null, null, null,
        null, null, "Adjunto 📎 — señal ñ, un texto más largo que el anterior", "AGENT", null, null, null, null,
        null, null, "f", 3L, new byte[0], 0);
    BronzeEvent shortOne = new BronzeEvent("e-3", "t", "STATUS_CHANGED", "1", -7L, 60, -2, "x", "c", "p", "q", "m",
        "s", "t", "a", "f", "t", "r", "n", "m", 0L, "", 0L, "línea".getBytes(StandardCharsets.UTF_8), 9);
    BronzeSchema.FieldRows fromFields = new BronzeSchema.FieldRows(s, "r");
    for (BronzeEvent e : List.of(EVENT, sparse, shortOne, EVENT, sparse)) {
      ParseRaw.Parsed crossed = org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(ParseRaw.Parsed.Coder.of(),
          org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(ParseRaw.Parsed.Coder.of(), ParseRaw.Parsed.of(e)));
      GenericRecord expected = BronzeSchema.rows(s, "r").apply(e);
      assertEquals(expected, fromFields.of(crossed.eventFields(), 0, crossed.eventFields().length));
      // An event made in this JVM (no stream between) gives the same fields.
      assertArrayEquals(crossed.eventFields(), ParseRaw.Parsed.of(e).eventFields());
      // Held in a larger array, as the day writer holds them (HeldBlocks), read in place.
      byte[] made = ParseRaw.Parsed.of(e).eventFields();
      byte[] held = new byte[made.length + 7];
      System.arraycopy(made, 0, held, 5, made.length);
      assertEquals(expected, fromFields.of(held, 5, made.length));
    }
  }

  /**
   * Silver's reader codes a row straight from its values: the fields the event the plain reader makes
   * of it codes to, for whole rows and Silver's columns, texts as Parquet gives them (Utf8) or as
   * Strings, one reader over rows of both schemas in turn; and the ticket's hash is the String's.
   */
  @Test
  public void codedRowsAreTheCodedEventsOfThePlainReader() throws Exception {
    Schema s = BronzeSchema.schema();
    BronzeEvent sparse = new BronzeEvent("e-2", "tíquet-ñ", "MESSAGE_ADDED", "1.0", 5L, 0, 1, null, null, null,
        null, null, null, "Adjunto 📎 — señal ñ", "AGENT", null, null, null, null, null, null, "f", 3L, new byte[0], 0);
    BronzeSchema.CodedReader coded = new BronzeSchema.CodedReader();
    BronzeSchema.Reader plain = new BronzeSchema.Reader();
    for (int round = 0; round < 2; round++) {
      for (BronzeEvent e : List.of(EVENT, sparse)) {
        GenericRecord whole = BronzeSchema.rows(s, "r").apply(e);
        for (GenericRecord row : List.of(whole, asParquetGivesIt(whole), silversColumns(whole),
            asParquetGivesIt(silversColumns(whole)))) {
          BronzeEvent.Coded expected = BronzeEvent.Coded.of(plain.apply(row));
          BronzeEvent.Coded got = coded.apply(row);
          assertArrayEquals(org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(BronzeEvent.Coded.Coder.of(), expected),
              org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(BronzeEvent.Coded.Coder.of(), got));
          assertEquals(e.ticketId().hashCode(), got.ticketHash());
          assertEquals(e.ticketId(), got.ticketId());
        }
      }
    }
  }

  /** The row with its texts as Parquet's Avro reader gives them: Utf8. */
  private static GenericRecord asParquetGivesIt(GenericRecord row) {
    GenericData.Record read = new GenericData.Record(row.getSchema());
    for (Schema.Field f : row.getSchema().getFields()) {
      Object v = row.get(f.pos());
      read.put(f.pos(), v instanceof CharSequence t ? new org.apache.avro.util.Utf8(t.toString()) : v);
    }
    return read;
  }

  /** {@code whole} as Silver reads it: a row of the projection of its columns. */
  private static GenericRecord silversColumns(GenericRecord whole) {
    Schema columns = ParquetConfig.projection(whole.getSchema(), CurateSilver.BRONZE_COLUMNS);
    GenericData.Record read = new GenericData.Record(columns);
    for (Schema.Field f : columns.getFields()) {
      read.put(f.pos(), whole.get(f.name()));
    }
    return read;
  }
}
