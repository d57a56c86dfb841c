package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.serving.StoreConfig;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every layer of one run submitted to a real Flink session cluster through REST with the job jar, on
 * an S3 data plane (S3Proxy), served into a real PostgreSQL — the three servers `make test` starts
 * (infra/local/flink, infra/local/s3, infra/local/postgres) — and compared with the DirectRunner
 * on a local folder for the same seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlinkClusterIT {
  static final String RUN = "flink-rest";

  FlinkRest flink;
  String jarId;
  String s3Root;
  Path config;
  Path local;
  final Map<String, String> jobs = new TreeMap<>();

  static String env(String name) {
    return PostgresServingIT.env(name);
  }

  String jdbcUrl() {
    return env("PQRS_TEST_JDBC_URL") + "?user=" + env("PQRS_TEST_JDBC_USER") + "&password="
        + env("PQRS_TEST_JDBC_PASSWORD");
  }

  /** The program arguments of a layer, as typed into the web UI. */
  List<String> args(int layer) {
    List<String> a = new ArrayList<>(List.of("--runner=FlinkRunner", "--attachedMode=false", "--root=" + s3Root,
        "--runId=" + RUN, "--awsRegion=us-east-1", "--endpoint=" + env("PQRS_S3_ENDPOINT"),
        "--s3ClientFactoryClass=co.pqrs.lakehouse.pipelines.s3.PathStyleS3ClientBuilderFactory",
        "--jdbcUrl=" + jdbcUrl()));
    if (layer == 0) {
      a.addAll(List.of("--createBucket=true", "--simulationConfig=" + config, "--start=2025-02-03", "--end=2025-02-12",
          "--seed=21"));
    }
    return a;
  }

  @BeforeAll
  void runEveryLayerOnTheClusterAndLocally(@TempDir Path dir) throws Exception {
    config = PqrsCliTest.writeSmallConfig(dir);
    // A fresh prefix per test run: Raw is immutable, and the bucket outlives a failed run.
    s3Root = "s3://lake/it-" + Long.toHexString(System.nanoTime());
    flink = new FlinkRest(env("PQRS_FLINK_REST"));
    jarId = flink.upload(Path.of("target/pqrs-lakehouse-job.jar"));
    try (Connection c = StoreConfig.resolve(jdbcUrl(), DataLayout.at(dir.toString())).connect();
        Statement s = c.createStatement()) {
      co.pqrs.lakehouse.serving.SqlScripts.apply(c);
      for (String t : new String[] {"meta.etl_runs", "meta.data_quality", "meta.manifest_index"}) {
        s.execute("DELETE FROM " + t + " WHERE run_id = '" + RUN + "'");
      }
    }
    for (int i = 0; i < JobJarEntry.LAYERS.size(); i++) {
      JobJarEntry.Layer layer = JobJarEntry.LAYERS.get(i);
      String job = flink.run(jarId, layer.entry().getName(), args(i));
      String state = flink.await(job, Duration.ofMinutes(5));
      assertEquals("FINISHED", state, () -> layer.entry().getSimpleName() + " on the cluster: " + rootCause(job));
      jobs.put(layer.name(), job);
    }
    // The same run on the DirectRunner, in a local folder with the embedded store.
    local = dir.resolve("local");
    PqrsCliTest.Run r = PqrsCliTest.pqrs("run", "--config", config.toString(), "--start", "2025-02-03", "--end",
        "2025-02-12", "--seed", "21", "--run-id", RUN, "--root", local.toString());
    assertEquals(0, r.code(), r.err());
  }

  private String rootCause(String job) {
    try {
      return flink.rootException(job);
    } catch (Exception e) {
      return e.toString();
    }
  }

  Manifest onS3(String layer) throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.fromArgs("--awsRegion=us-east-1",
        "--endpoint=" + env("PQRS_S3_ENDPOINT"),
        "--s3ClientFactoryClass=co.pqrs.lakehouse.pipelines.s3.PathStyleS3ClientBuilderFactory").create());
    return RunPublisher.readManifest(DataLayout.at(s3Root).manifest(layer, RUN));
  }

  @Test
  void everyLayerOnTheClusterHasTheDirectRunnersDataHash() throws Exception {
    for (String layer : DataLayout.CHAIN) {
      Manifest cluster = onS3(layer);
      Manifest direct = RunPublisher.readManifest(DataLayout.at(local.toString()).manifest(layer, RUN));
      assertNotNull(cluster, layer + " manifest on S3");
      assertEquals(direct.dataHash(), cluster.dataHash(), layer + " data hash, cluster vs DirectRunner");
      assertEquals(direct.counts(), cluster.counts(), layer + " counts");
    }
  }

  @Test
  void theClusterRecordedEveryLayerAndServedGoldInPostgres() throws Exception {
    Manifest direct = RunPublisher.readManifest(DataLayout.at(local.toString()).manifest(DataLayout.GOLD, RUN));
    try (Connection c = StoreConfig.resolve(jdbcUrl(), DataLayout.at(local.toString())).connect();
        Statement s = c.createStatement()) {
      Map<String, String> status = new TreeMap<>();
      try (ResultSet rs = s.executeQuery("SELECT layer, status, runner FROM meta.etl_runs WHERE run_id = '" + RUN + "'")) {
        while (rs.next()) {
          status.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
        }
      }
      for (String layer : DataLayout.CHAIN) {
        assertEquals("SUCCESS FlinkRunner", status.get(layer), layer + " record");
      }
      for (GoldTable t : GoldTable.values()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM gold." + t.table + " WHERE run_id = '" + RUN + "'")) {
          rs.next();
          assertEquals((long) direct.counts().getOrDefault("rows." + t.table, 0L), rs.getLong(1), t.table);
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT sum(tickets) FROM gold.kpi_volume_daily WHERE run_id = '" + RUN + "'")) {
        rs.next();
        assertEquals((long) direct.counts().get("figure.volume.tickets"), rs.getLong(1));
      }
    }
  }

  @Test
  void aBadOptionIsRefusedWithFlinksRootCause() {
    List<String> bad = new ArrayList<>(args(1));
    bad.add("--noSuchOption=1");
    FlinkRest.RestError e = assertThrows(FlinkRest.RestError.class,
        () -> flink.run(jarId, "co.pqrs.lakehouse.pipelines.BronzePipeline", bad));
    assertEquals(400, e.status);
    assertTrue(e.getMessage().contains("noSuchOption"), e.getMessage());
  }

  @Test
  void theJobJarWithoutAnEntryClassIsRefusedAndTheClusterStaysUp() throws Exception {
    FlinkRest.RestError e = assertThrows(FlinkRest.RestError.class, () -> flink.run(jarId, null, args(1)));
    assertTrue(e.getMessage().contains("pqrs-lakehouse-job.jar runs one layer per job: set the entry class to "
        + "co.pqrs.lakehouse.pipelines.SimulateRawPipeline"), e.getMessage());
    // The same JobManager answers afterwards, with the jar it was given (PqrsCli used to exit it).
    Thread.sleep(1000);
    assertTrue(flink.get("/jars").toString().contains(jarId), "the JobManager still lists the uploaded jar");
  }

  @Test
  void aMissingPreviousLayerIsRefusedWithOurOneLineError() {
    List<String> a = new ArrayList<>(args(1));
    a.set(3, "--runId=no-such-run");
    FlinkRest.RestError e = assertThrows(FlinkRest.RestError.class,
        () -> flink.run(jarId, "co.pqrs.lakehouse.pipelines.BronzePipeline", a));
    assertTrue(e.getMessage().contains("raw run_id no-such-run not found"), e.getMessage());
  }
}
