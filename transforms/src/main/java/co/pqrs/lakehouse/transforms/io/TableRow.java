package co.pqrs.lakehouse.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A row of one of a layer's tables, named. A step that fills several tables emits them in one
 * PCollection of these rather than one output per table: on Flink's batch runner every extra output
 * of a DoFn is another full copy of all its outputs.
 */
public record TableRow(String table, GenericRecord row) {

  /** Encodes the table's name and the row in Avro's binary encoding under that table's schema. */
  public static final class Coder extends CustomCoder<TableRow> {
    private final TreeMap<String, String> schemaJson;
    // Per table, built on first use; made anew when a worker deserialises the coder.
    private transient Map<String, AvroRows> rows = new ConcurrentHashMap<>();

    private Coder(TreeMap<String, String> schemaJson) {
      this.schemaJson = schemaJson;
    }

    private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      rows = new ConcurrentHashMap<>();
    }

    public static Coder of(List<WriteSortedTables.Table> tables) {
      TreeMap<String, String> m = new TreeMap<>();
      tables.forEach(t -> m.put(t.name(), t.schemaJson()));
      return new Coder(m);
    }

    private Schema schema(String table) {
      String json = schemaJson.get(table);
      if (json == null) {
        throw new IllegalArgumentException("no schema for table " + table + "; known: " + schemaJson.keySet());
      }
      return new Schema.Parser().parse(json);
    }

    // Framed (see Frame): the name and the row go to the runner's stream in one write, and come back
    // with one read, the row decoded from the array (AvroRows).
    @Override
    public void encode(TableRow value, OutputStream out) throws IOException {
      Frame.encode(value, out, this::write);
    }

    @Override
    public TableRow decode(InputStream in) throws IOException {
      return Frame.decode(in, this::read);
    }

    private void write(TableRow value, Frame.Writer w) throws IOException {
      w.string(value.table());
      rows.computeIfAbsent(value.table(), t -> new AvroRows(schema(t))).write(w, value.row());
    }

    private TableRow read(Frame.Reader r) throws IOException {
      String table = r.string();
      return new TableRow(table, rows.computeIfAbsent(table, t -> new AvroRows(schema(t))).read(r));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Coder c && c.schemaJson.equals(schemaJson);
    }

    @Override
    public int hashCode() {
      return schemaJson.hashCode();
    }
  }
}
