package co.pqrs.lakehouse.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where a layer records its runs (and Gold serves its tables): every layer's options have it. */
public interface ServingOptions extends PipelineOptions {
  @Description("JDBC URL of the serving store (PostgreSQL: jdbc:postgresql://host:5432/pqrs, user and password "
      + "from PQRS_JDBC_USER / PQRS_JDBC_PASSWORD); default $PQRS_JDBC_URL, else the embedded DuckDB file "
      + "<root>/serving/pqrs.duckdb")
  String getJdbcUrl();

  void setJdbcUrl(String value);
}
