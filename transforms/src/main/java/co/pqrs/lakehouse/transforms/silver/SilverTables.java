package co.pqrs.lakehouse.transforms.silver;

import co.pqrs.lakehouse.config.Source;
import java.util.List;
import org.apache.avro.Schema;

/** The Silver tables and their schemas (contracts {@code data/contracts/v1/silver_<table>.avsc}). */
public enum SilverTables {
  TICKETS("tickets"),
  MESSAGES("messages"),
  STATUS_EVENTS("status_events"),
  ATTACHMENTS("attachments"),
  PRECLASSIFICATION("preclassification");

  public final String table;

  SilverTables(String table) {
    this.table = table;
  }

  public String file() {
    return "silver_" + table + ".avsc";
  }

  public String schemaJson() {
    return Source.packaged(Source.Kind.CONTRACTS, file()).text();
  }

  public Schema schema() {
    return new Schema.Parser().parse(schemaJson());
  }

  public static List<SilverTables> all() {
    return List.of(values());
  }
}
