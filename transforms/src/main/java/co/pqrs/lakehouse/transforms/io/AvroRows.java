package co.pqrs.lakehouse.transforms.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Rows of one schema in Avro's binary encoding, written into and read from a {@link Frame} block.
 *
 * <p>Every table of the lakehouse is flat: each field a string, int, long, float, double or boolean,
 * or a union of null and one of them. Such a row is encoded here field by field, the same bytes
 * Avro's {@code GenericDatumWriter} gives, and decoded into the same values its reader gives
 * ({@link Utf8} for strings), without Avro's walk of the schema, union resolution and logical-type
 * lookups for every field of every row (14 % of Gold's profile, with the rows' data hash). Any
 * other schema, and a row holding a value of another type than its field's, goes through Avro's own
 * writer and reader, which also give their errors. The tables' rows are sorted here too, in Avro's
 * order ({@link #sort}).
 */
final class AvroRows {
  enum Kind { STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN }

  private final Schema schema;
  // Per field: its kind, and for a nullable field the union branch of its value (the other is null),
  // -1 otherwise. Kinds are null when the schema is not flat.
  private final Kind[] kinds;
  private final int[] valueBranch;
  // The first field whose type is not flat, and that type ("tags: Avro type array"), when the schema
  // is not flat; null when it is.
  private final String notFlat;
  // Per field: 1 ascending, -1 descending, 0 ignored in the sort order (the field's "order").
  private final int[] direction;
  // The first field the sort order compares, when it is a text of a flat schema: what
  // sortByFirstBytes keys rows by; -1 otherwise.
  private final int firstSortedText;
  private final GenericDatumWriter<GenericRecord> writer;
  private final GenericDatumReader<GenericRecord> reader;

  AvroRows(Schema schema) {
    this.schema = schema;
    this.writer = new GenericDatumWriter<>(schema);
    this.reader = new GenericDatumReader<>(schema);
    List<Schema.Field> fields = schema.getFields();
    Kind[] k = new Kind[fields.size()];
    int[] branch = new int[fields.size()];
    String odd = null;
    for (int i = 0; i < k.length; i++) {
      Schema f = fields.get(i).schema();
      branch[i] = -1;
      if (f.getType() == Schema.Type.UNION && f.getTypes().size() == 2) {
        List<Schema> types = f.getTypes();
        branch[i] = types.get(0).getType() == Schema.Type.NULL ? 1 : 0;
        if (types.get(1 - branch[i]).getType() != Schema.Type.NULL) {
          odd = fields.get(i).name() + ": a union of " + types.get(0).getType().getName() + " and "
              + types.get(1).getType().getName();
          k = null;
          break;
        }
        f = types.get(branch[i]);
      }
      k[i] = kind(f);
      if (k[i] == null) {
        odd = fields.get(i).name() + ": " + (f.getType() == Schema.Type.STRING
            ? "a string Avro is to read as java.lang.String (" + GenericData.STRING_PROP + ")"
            : "Avro type " + f.getType().getName());
        k = null;
        break;
      }
    }
    this.notFlat = odd;
    this.kinds = k;
    this.valueBranch = branch;
    this.direction = new int[fields.size()];
    for (int i = 0; i < direction.length; i++) {
      direction[i] = switch (fields.get(i).order()) {
        case ASCENDING -> 1;
        case DESCENDING -> -1;
        case IGNORE -> 0;
      };
    }
    int first = 0;
    while (first < direction.length && direction[first] == 0) {
      first++;
    }
    this.firstSortedText = k != null && first < direction.length && k[first] == Kind.STRING ? first : -1;
  }

  private static Kind kind(Schema s) {
    return switch (s.getType()) {
      // A string field that asks Avro for java.lang.String on reading is left to Avro.
      case STRING -> s.getProp(GenericData.STRING_PROP) == null ? Kind.STRING : null;
      case INT -> Kind.INT;
      case LONG -> Kind.LONG;
      case FLOAT -> Kind.FLOAT;
      case DOUBLE -> Kind.DOUBLE;
      case BOOLEAN -> Kind.BOOLEAN;
      default -> null;
    };
  }

  Schema schema() {
    return schema;
  }

  /** Whether the order compares field {@code field} first, ascending, as a text of a flat schema. */
  boolean comparesFirst(int field) {
    return firstSortedText == field && direction[field] == 1;
  }

  /** Appends the row's Avro binary encoding to the block. */
  void write(Frame.Writer w, GenericRecord row) throws IOException {
    if (!fits(row)) {
      writer.write(row, EncoderFactory.get().directBinaryEncoder(w.stream(), null));
      return;
    }
    for (int i = 0; i < kinds.length; i++) {
      Object v = row.get(i);
      if (valueBranch[i] >= 0) {
        w.varLong(2L * (v == null ? 1 - valueBranch[i] : valueBranch[i])); // the branch, zig-zag encoded
        if (v == null) {
          continue;
        }
      }
      switch (kinds[i]) {
        case STRING -> {
          if (v instanceof Utf8 u) {
            w.varLong(2L * u.getByteLength()).raw(u.getBytes(), 0, u.getByteLength());
          } else {
            byte[] b = v.toString().getBytes(StandardCharsets.UTF_8);
            w.varLong(2L * b.length).raw(b, 0, b.length);
          }
        }
        case INT, LONG -> {
          long n = ((Number) v).longValue();
          w.varLong((n << 1) ^ (n >> 63));
        }
        case FLOAT -> w.fixed32(Float.floatToRawIntBits((Float) v));
        case DOUBLE -> w.fixed64(Double.doubleToRawLongBits((Double) v));
        case BOOLEAN -> w.marker((Boolean) v);
      }
    }
  }

  /** The first field whose type is not flat, with that type ("tags: Avro type array"); null if none. */
  String notFlat() {
    return notFlat;
  }

  /** Whether field {@code i} is a union of null and its kind; only for a flat schema. */
  boolean nullable(int i) {
    return valueBranch[i] >= 0;
  }

  /** Field {@code i}'s kind; only for a flat schema (and, for a row's value, a row that {@link #fits}). */
  Kind kind(int i) {
    return kinds[i];
  }

  /** Whether every value is of its field's type (a null only where the field is nullable). */
  boolean fits(GenericRecord row) {
    if (kinds == null || row.getSchema().getFields().size() != kinds.length) {
      return false;
    }
    for (int i = 0; i < kinds.length; i++) {
      Object v = row.get(i);
      boolean ok = switch (kinds[i]) {
        case STRING -> v instanceof CharSequence;
        case INT -> v instanceof Integer;
        case LONG -> v instanceof Long;
        case FLOAT -> v instanceof Float;
        case DOUBLE -> v instanceof Double;
        case BOOLEAN -> v instanceof Boolean;
      };
      if (!ok && !(v == null && valueBranch[i] >= 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sorts rows in Avro's order for the schema ({@code GenericData.compare}: field by field, nulls by
   * their union branch, strings by their UTF-8 bytes). Avro makes a {@link Utf8} of both Strings at
   * every comparison (3 % of Silver's profile); here two Strings are compared where they stand.
   */
  void sort(List<GenericRecord> rows) {
    for (GenericRecord r : rows) {
      if (!fits(r)) {
        rows.sort((a, b) -> GenericData.get().compare(a, b, schema));
        return;
      }
    }
    if (!sortByFirstBytes(rows)) {
      rows.sort(this::compareFitting);
    }
  }

  /**
   * Sorts rows whose first sorted field is a text none of them lacks by the first eight bytes of that
   * text, and by the whole row only where those are equal ({@link #sortByFirstBytes(List,
   * java.util.function.Function, int, java.util.Comparator)}). False, without sorting, for other rows.
   */
  private boolean sortByFirstBytes(List<GenericRecord> rows) {
    int k = firstSortedText;
    if (k < 0 || rows.size() < 2) {
      return false;
    }
    for (GenericRecord r : rows) {
      if (r.get(k) == null) {
        return false;
      }
    }
    sortByFirstBytes(rows, r -> (CharSequence) r.get(k), direction[k], this::compareFitting);
    return true;
  }

  /** An item and the first eight UTF-8 bytes of its text, big-endian, zeros after its end. */
  private record Keyed<T>(long first, T item) {}

  /**
   * Sorts {@code items} in place by the first eight bytes of their texts ({@code sign} 1 ascending, -1
   * descending), and by {@code tie} only where those are equal: two items are compared by one long
   * where most differ there (Silver's messages and attachments: random UUIDs), instead of by reaching
   * into both and both texts (about 2 µs a row, most of it the memory those reads miss). The order of
   * the texts as Avro compares them, where their first eight bytes differ (compared unsigned, as
   * Avro compares bytes; a text that ends first pads with zeros, which only ties with a zero byte);
   * {@code tie} orders the rest, and the sort is stable either way.
   */
  static <T> void sortByFirstBytes(List<T> items, java.util.function.Function<T, CharSequence> text, int sign,
      java.util.Comparator<T> tie) {
    List<Keyed<T>> keyed = new ArrayList<>(items.size());
    items.forEach(item -> keyed.add(new Keyed<>(firstBytes(text.apply(item)), item)));
    keyed.sort((a, b) -> {
      int c = Long.compareUnsigned(a.first, b.first);
      return c != 0 ? sign * c : tie.compare(a.item, b.item);
    });
    for (int i = 0; i < keyed.size(); i++) {
      items.set(i, keyed.get(i).item);
    }
  }

  /** The first eight bytes of a text's UTF-8 (as Avro writes it: a lone surrogate as '?'), big-endian. */
  static long firstBytes(CharSequence text) {
    long first = 0;
    int n = 0;
    if (text instanceof String s) {
      for (int i = 0; i < s.length() && n < 8; i++, n++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          return firstBytes(new Utf8(s)); // beyond ASCII: its bytes, as Avro makes them
        }
        first = first << 8 | c;
      }
    } else {
      Utf8 u = text instanceof Utf8 x ? x : new Utf8(text.toString());
      byte[] bytes = u.getBytes();
      for (; n < 8 && n < u.getByteLength(); n++) {
        first = first << 8 | (bytes[n] & 0xff);
      }
    }
    return first << (8 * (8 - n)); // n == 0: first is 0 (and Java masks a shift by 64 to none)
  }

  /** Avro's comparison of two rows of the schema (its sign). */
  int compare(GenericRecord a, GenericRecord b) {
    return fits(a) && fits(b) ? compareFitting(a, b) : GenericData.get().compare(a, b, schema);
  }

  @SuppressWarnings("unchecked")
  private int compareFitting(GenericRecord a, GenericRecord b) {
    for (int i = 0; i < kinds.length; i++) {
      if (direction[i] == 0) {
        continue;
      }
      Object x = a.get(i);
      Object y = b.get(i);
      if (x == y) {
        continue;
      }
      int c;
      if (x == null || y == null) { // Avro orders a union's values by their branch first
        c = Integer.compare(x == null ? 1 - valueBranch[i] : valueBranch[i], y == null ? 1 - valueBranch[i] : valueBranch[i]);
      } else if (kinds[i] == Kind.STRING) {
        c = compareText((CharSequence) x, (CharSequence) y);
      } else {
        c = ((Comparable<Object>) x).compareTo(y);
      }
      if (c != 0) {
        return direction[i] * c;
      }
    }
    return 0;
  }

  /** Two texts in the order of their UTF-8 bytes (the sign of Avro's comparison). */
  static int compareText(CharSequence x, CharSequence y) {
    if (x instanceof String s && y instanceof String t) {
      int n = Math.min(s.length(), t.length());
      int k = 0;
      while (k < n && s.charAt(k) == t.charAt(k)) {
        k++;
      }
      // One text starts with the other: so do their bytes, or (a high surrogate ending the shorter
      // one, which UTF-8 writes '?') the longer one's bytes there are greater.
      if (k == n) {
        return Integer.compare(s.length(), t.length());
      }
      // Chars that are not surrogates are code points, whose order is that of their UTF-8 bytes;
      // where a surrogate differs (a pair, or a lone one written '?') the bytes decide.
      if (!Character.isSurrogate(s.charAt(k)) && !Character.isSurrogate(t.charAt(k))) {
        return Character.compare(s.charAt(k), t.charAt(k));
      }
    }
    return utf8(x).compareTo(utf8(y));
  }

  private static Utf8 utf8(CharSequence v) {
    return v instanceof Utf8 u ? u : new Utf8(v.toString());
  }

  /** Reads the rest of the block as one row. */
  GenericRecord read(Frame.Reader r) throws IOException {
    if (kinds == null) {
      return r.rest((bytes, offset, length) -> {
        BinaryDecoder d = DecoderFactory.get().binaryDecoder(bytes, offset, length, null);
        GenericRecord row = reader.read(null, d);
        if (!d.isEnd()) {
          throw new IOException("framed Avro row has bytes its schema did not read");
        }
        return row;
      });
    }
    GenericData.Record row = new GenericData.Record(schema);
    for (int i = 0; i < kinds.length; i++) {
      if (valueBranch[i] >= 0) {
        long branch = zigZag(r.varLong());
        if (branch != 0 && branch != 1) {
          throw new IOException("union branch " + branch + " of a nullable field in a framed Avro row");
        }
        if (branch != valueBranch[i]) {
          continue; // null, which a new record already holds
        }
      }
      row.put(i, switch (kinds[i]) {
        case STRING -> new Utf8(r.raw(length(r.varLong())));
        case INT -> {
          long n = zigZag(r.varLong());
          if (n != (int) n) {
            throw new IOException("int field of a framed Avro row out of range: " + n);
          }
          yield (int) n;
        }
        case LONG -> zigZag(r.varLong());
        case FLOAT -> Float.intBitsToFloat(r.fixed32());
        case DOUBLE -> Double.longBitsToDouble(r.fixed64());
        case BOOLEAN -> r.marker();
      });
    }
    return row;
  }

  private static long zigZag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static int length(long zigZagged) throws IOException {
    long n = zigZag(zigZagged);
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new IOException("string of impossible length " + n + " in a framed Avro row");
    }
    return (int) n;
  }
}
