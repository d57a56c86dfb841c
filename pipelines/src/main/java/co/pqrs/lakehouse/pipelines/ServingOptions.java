package co.pqrs.lakehouse.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the lakehouse is, where a layer records its runs (and Gold serves its tables), and how it reaches an S3 data plane
 * (Beam's S3 options: --awsRegion, --endpoint, --s3ClientFactoryClass): every layer's options have it.
 */
public interface ServingOptions extends PipelineOptions, org.apache.beam.sdk.io.aws2.options.S3Options {
  @Description("Lakehouse root: a local folder or s3://bucket/prefix")
  @org.apache.beam.sdk.options.Default.String("lakehouse")
  String getRoot();

  void setRoot(String value);

  @Description("JDBC URL of the serving store (PostgreSQL: jdbc:postgresql://host:5432/pqrs, user and password "
      + "from PQRS_JDBC_USER / PQRS_JDBC_PASSWORD); default $PQRS_JDBC_URL, else the embedded DuckDB file "
      + "<root>/serving/pqrs.duckdb")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("Prometheus Pushgateway to push each run's final figures to when it ends (e.g. "
      + "http://localhost:9091); default $PQRS_PUSHGATEWAY_URL, else none")
  String getPushgatewayUrl();

  void setPushgatewayUrl(String value);

  @Description("Create the bucket of an s3:// root when it does not exist (Beam never creates buckets)")
  @org.apache.beam.sdk.options.Default.Boolean(false)
  boolean getCreateBucket();

  void setCreateBucket(boolean value);
}
