package co.pqrs.lakehouse.transforms.gold;

import co.pqrs.lakehouse.transforms.io.ParquetWriters;
import java.io.Serializable;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * One column of a Gold table. The same definition gives the Avro field of the Parquet file and the
 * SQL column of the serving table, so the two cannot drift apart.
 *
 * @param key part of the table's grain (primary key with run_id)
 * @param dictionary whether the Parquet column is dictionary-encoded (docs: DATA-LAYOUT.md)
 */
public record Column(String name, Type type, boolean nullable, boolean key, String doc, boolean dictionary)
    implements Serializable {

  /** The column types Gold uses, with their Avro and SQL spellings. */
  public enum Type {
    STRING("VARCHAR"),
    INT("INTEGER"),
    LONG("BIGINT"),
    DOUBLE("DOUBLE PRECISION"),
    BOOLEAN("BOOLEAN"),
    /** A calendar day in America/Bogota. */
    DATE("DATE"),
    /** An instant, microseconds since the epoch, UTC. */
    TIMESTAMP("TIMESTAMP WITH TIME ZONE");

    public final String sql;

    Type(String sql) {
      this.sql = sql;
    }

    Schema avro() {
      return switch (this) {
        case STRING -> Schema.create(Schema.Type.STRING);
        case INT -> Schema.create(Schema.Type.INT);
        case LONG -> Schema.create(Schema.Type.LONG);
        case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
        case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
        case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
        case TIMESTAMP -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      };
    }
  }

  /** A grain column: never null. */
  public static Column key(String name, Type type, String doc) {
    return new Column(name, type, false, true, doc, true);
  }

  /** A measure that always has a value. */
  public static Column measure(String name, Type type, String doc) {
    return new Column(name, type, false, false, doc, true);
  }

  /** A measure that can be undefined (e.g. a mean over no rows). */
  public static Column optional(String name, Type type, String doc) {
    return new Column(name, type, true, false, doc, true);
  }

  /**
   * The same column without a Parquet dictionary: for a column with a value of its own in nearly every
   * row, which Parquet would hash into a dictionary only to give it up (as the Silver contracts mark theirs).
   */
  public Column withoutDictionary() {
    return new Column(name, type, nullable, key, doc, false);
  }

  Schema.Field avroField() {
    Schema s = type.avro();
    Schema.Field f = nullable
        ? new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), s), doc,
            Schema.Field.NULL_DEFAULT_VALUE)
        : new Schema.Field(name, s, doc);
    if (!dictionary) {
      f.addProp(ParquetWriters.DICTIONARY, false);
    }
    return f;
  }

  public String sqlDefinition() {
    return name + " " + type.sql + (nullable ? "" : " NOT NULL");
  }
}
