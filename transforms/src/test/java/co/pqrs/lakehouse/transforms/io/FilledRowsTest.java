package co.pqrs.lakehouse.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class FilledRowsTest {
  // Twelve columns: more puts in a row than the remembered positions start with.
  private static final Schema SCHEMA = columns(12);

  private static Schema columns(int n) {
    SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record("t").fields();
    for (int i = 0; i < n; i++) {
      f = f.optionalString("c" + i);
    }
    return f.endRecord();
  }

  /** Fills a row by Avro's own put by name: what every row must equal. */
  private static GenericRecord expected(String[] names, String[] values) {
    GenericData.Record r = new GenericData.Record(SCHEMA);
    for (int i = 0; i < names.length; i++) {
      r.put(names[i], values[i]);
    }
    return r;
  }

  private static GenericRecord filled(FilledRows rows, String[] names, String[] values) {
    GenericData.Record r = rows.row();
    for (int i = 0; i < names.length; i++) {
      r.put(names[i], values[i]);
    }
    return r;
  }

  @Test
  void rowsEqualRowsPutByNameWhateverTheOrderOfTheirPuts() {
    String[] all = new String[12];
    for (int i = 0; i < all.length; i++) {
      all[i] = "c" + i;
    }
    String[] reversed = new String[12];
    for (int i = 0; i < all.length; i++) {
      reversed[i] = all[11 - i];
    }
    // Columns left out of some rows, as the tickets table leaves the creation's columns out of a
    // ticket without one: every put after the gap sits at another step of the row.
    String[] gap = {"c0", "c1", "c5", "c6", "c11"};
    // Equal names that are other strings than the remembered ones.
    String[] copies = new String[12];
    for (int i = 0; i < all.length; i++) {
      copies[i] = new String(all[i]);
    }
    FilledRows rows = new FilledRows(SCHEMA);
    List<String[]> orders = List.of(all, all, gap, all, reversed, gap, gap, copies, all, reversed);
    List<GenericRecord> made = new ArrayList<>();
    List<GenericRecord> wanted = new ArrayList<>();
    int n = 0;
    for (String[] names : orders) {
      String[] values = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        values[i] = names[i] + "=" + n++;
      }
      made.add(filled(rows, names, values));
      wanted.add(expected(names, values));
    }
    assertThat(made, equalTo(wanted));
  }

  @Test
  void anUnknownColumnIsRefusedByName() {
    FilledRows rows = new FilledRows(SCHEMA);
    GenericData.Record r = rows.row();
    r.put("c0", "x");
    AvroRuntimeException e = assertThrows(AvroRuntimeException.class, () -> r.put("c99", "y"));
    assertThat(e.getMessage(), containsString("c99"));
    assertThat(e.getMessage(), containsString("table t"));
  }
}
