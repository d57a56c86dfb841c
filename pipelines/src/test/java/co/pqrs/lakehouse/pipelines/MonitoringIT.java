package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.metrics.RunMetrics;
import co.pqrs.lakehouse.serving.RunFigures;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations stack against real servers: one small run with injected defects, every layer a job
 * on the Flink session cluster (step counters on, {@code --useDataStreamForBatch=true}), each pushing
 * its final figures to the Pushgateway, while the Prometheus `make test` starts scrapes the cluster and
 * the Pushgateway every second (infra/local/prometheus/prom-up.sh). Then every query of the
 * provisioned Grafana dashboards must find what it reads: each Prometheus expression data from that
 * run, each SQL rows in the real PostgreSQL schema, as the read-only BI role.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringIT {
  static final String RUN = "monitoring";
  static final Path GRAFANA = Path.of("../infra/local/configs/grafana");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  /** A Prometheus metric name: ours and Flink's (function names and labels never start so). */
  static final Pattern METRIC = Pattern.compile("\\b(?:pqrs|flink)_[A-Za-z0-9_]+");

  String prometheus;
  String pushgateway;
  DataLayout layout;
  long startSeconds;

  static String env(String name) {
    return PostgresServingIT.env(name);
  }

  String jdbcUrl() {
    return env("PQRS_TEST_JDBC_URL") + "?user=" + env("PQRS_TEST_JDBC_USER") + "&password="
        + env("PQRS_TEST_JDBC_PASSWORD");
  }

  @BeforeAll
  void runEveryLayerOnTheClusterWhilePrometheusScrapes(@TempDir Path dir) throws Exception {
    prometheus = env("PQRS_PROMETHEUS_URL");
    pushgateway = env("PQRS_PUSHGATEWAY_URL");
    startSeconds = System.currentTimeMillis() / 1000 - 1;
    // Defects, so that Bronze quarantines by several codes and a WARN check fails.
    Path config = PqrsCliTest.writeSmallConfig(dir);
    Files.writeString(config, Files.readString(config)
        .replace("volume_daily_avg: 40", "volume_daily_avg: 150")
        .replace("malformed_json: 0.0", "malformed_json: 0.03")
        .replace("duplicate_event: 0.0", "duplicate_event: 0.03")
        .replace("bad_timestamp: 0.0", "bad_timestamp: 0.02"));
    layout = DataLayout.at(dir.resolve("lake").toString());

    FlinkRest flink = new FlinkRest(env("PQRS_FLINK_REST"));
    String jar = flink.upload(Path.of("target/pqrs-lakehouse-job.jar"));
    for (int i = 0; i < JobJarEntry.LAYERS.size(); i++) {
      List<String> args = new ArrayList<>(List.of("--runner=FlinkRunner", "--attachedMode=false",
          "--root=" + layout.root(), "--runId=" + RUN, "--jdbcUrl=" + jdbcUrl(), "--pushgatewayUrl=" + pushgateway,
          "--useDataStreamForBatch=true",
          // Flink sees a step's counters when a bundle ends: one element per bundle makes the
          // writing steps (one element per day or table) publish them after their first file, so
          // they live long enough for a one-second scrape to see them.
          "--maxBundleSize=1"));
      if (i == 0) {
        args.addAll(List.of("--simulationConfig=" + config, "--start=2025-01-06", "--end=2025-02-07", "--seed=5"));
      }
      Class<?> entry = JobJarEntry.LAYERS.get(i).entry();
      String job = flink.run(jar, entry.getName(), args);
      assertEquals("FINISHED", flink.await(job, Duration.ofMinutes(5)),
          entry.getSimpleName() + ": " + flink.rootException(job));
    }
    // The last push must have been scraped before the dashboards' queries run.
    long deadline = System.currentTimeMillis() + 30_000;
    while (instant(RunMetrics.STATUS + "{job=\"pqrs\",run_id=\"" + RUN + "\"}").size() < DataLayout.CHAIN.size()) {
      if (System.currentTimeMillis() > deadline) {
        fail("Prometheus did not scrape the four layers' pushed figures within 30 s");
      }
      Thread.sleep(500);
    }
  }

  JsonNode prometheusApi(String path, Map<String, String> params) throws Exception {
    StringBuilder q = new StringBuilder(prometheus).append("/api/v1/").append(path).append('?');
    params.forEach((k, v) -> q.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(q.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("success", body.path("status").asText(), () -> path + " " + params + ": " + r.body());
    return body.get("data");
  }

  List<JsonNode> instant(String query) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    prometheusApi("query", Map.of("query", query)).get("result").forEach(out::add);
    return out;
  }

  double value(String query) throws Exception {
    List<JsonNode> r = instant(query);
    assertEquals(1, r.size(), () -> query + " gave " + r);
    return Double.parseDouble(r.get(0).get("value").get(1).asText());
  }

  /** Every query target of every provisioned dashboard, with its panel's title. */
  static List<Map.Entry<String, JsonNode>> targets(String datasourceUid) throws Exception {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      for (Path f : files.sorted().toList()) {
        for (JsonNode panel : JSON.readTree(f.toFile()).get("panels")) {
          for (JsonNode t : panel.get("targets")) {
            if (t.get("datasource").get("uid").asText().equals(datasourceUid)) {
              out.add(Map.entry(f.getFileName() + " / " + panel.get("title").asText(), t));
            }
          }
        }
      }
    }
    assertFalse(out.isEmpty(), "no target uses datasource " + datasourceUid);
    return out;
  }

  @Test
  void everyDashboardHasATitleAUidAndOnlyProvisionedDatasources() throws Exception {
    Set<String> provisioned = new TreeSet<>();
    new YAMLMapper().readTree(GRAFANA.resolve("provisioning/datasources/datasources.yml").toFile())
        .get("datasources").forEach(d -> provisioned.add(d.get("uid").asText()));
    Map<String, String> titles = new TreeMap<>();
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      for (Path f : files.sorted().toList()) {
        JsonNode d = JSON.readTree(f.toFile());
        assertFalse(d.path("title").asText().isBlank(), f + " has no title");
        assertFalse(d.path("uid").asText().isBlank(), f + " has no uid");
        titles.put(d.get("uid").asText(), d.get("title").asText());
        for (JsonNode panel : d.get("panels")) {
          assertFalse(panel.path("title").asText().isBlank(), f + ": a panel without a title");
          assertTrue(provisioned.contains(panel.get("datasource").get("uid").asText()), f + ": " + panel.get("title"));
          panel.get("targets").forEach(t -> assertTrue(provisioned.contains(t.get("datasource").get("uid").asText()),
              f + ": " + panel.get("title")));
        }
      }
    }
    assertEquals(Map.of("pqrs-pipeline-ops", "Pipeline operations", "pqrs-sla", "PQRS SLA"), titles);
  }

  @Test
  void everyPrometheusQueryOfTheDashboardsReadsSeriesScrapedFromTheRun() throws Exception {
    String start = Long.toString(startSeconds);
    String end = Long.toString(System.currentTimeMillis() / 1000 + 1);
    Set<String> names = new TreeSet<>();
    for (Map.Entry<String, JsonNode> t : targets("prometheus")) {
      String expr = t.getValue().get("expr").asText();
      Matcher m = METRIC.matcher(expr);
      boolean any = false;
      while (m.find()) {
        names.add(m.group());
        any = true;
      }
      assertTrue(any, t.getKey() + ": no metric name in " + expr);
      JsonNode r = prometheusApi("query_range", Map.of("query", expr, "start", start, "end", end, "step", "1"));
      assertTrue(r.get("result").size() > 0, t.getKey() + ": no data for " + expr + " during the run");
    }
    for (String name : names) {
      JsonNode series = prometheusApi("series", Map.of("match[]", name, "start", start, "end", end));
      assertTrue(series.size() > 0, name + " was never scraped during the run");
    }
    // The step counters came from this run's jobs, named after layer and run.
    JsonNode jobs = prometheusApi("query_range", Map.of("query",
        "count by (job_name) (flink_taskmanager_job_task_operator_pqrs_records_out)", "start", start, "end", end, "step", "1"));
    Set<String> jobNames = new TreeSet<>();
    jobs.get("result").forEach(s -> jobNames.add(s.get("metric").get("job_name").asText()));
    assertTrue(jobNames.stream().map(n -> n.replace('_', '-'))
        .anyMatch(n -> n.matches("pqrs-(raw|bronze|silver|gold)-" + RUN)), jobNames.toString());
  }

  @Test
  void thePushedFiguresAreTheManifests() throws Exception {
    for (String layer : DataLayout.CHAIN) {
      Manifest m = RunPublisher.readManifest(layout.manifest(layer, RUN));
      assertNotNull(m, layer);
      String sel = "{job=\"pqrs\",layer=\"" + layer + "\",run_id=\"" + RUN + "\"}";
      RunFigures f = RunFigures.of(m);
      assertEquals(f.rowsIn(), value(RunMetrics.RECORDS_IN + sel), layer + " in");
      assertEquals(f.rowsOut(), value(RunMetrics.RECORDS_OUT + sel), layer + " out");
      assertEquals(f.rowsQuarantined(), value(RunMetrics.RECORDS_QUARANTINED + sel), layer + " quarantined");
      assertEquals(m.files().stream().mapToLong(Manifest.FileEntry::sizeBytes).sum(),
          value(RunMetrics.BYTES_WRITTEN + sel), layer + " bytes");
      assertEquals(1.0, value(RunMetrics.STATUS + "{job=\"pqrs\",layer=\"" + layer + "\",run_id=\"" + RUN
          + "\",runner=\"FlinkRunner\",status=\"" + m.publishedStatus() + "\"}"), layer + " status");
    }
    Manifest bronze = RunPublisher.readManifest(layout.manifest(DataLayout.BRONZE, RUN));
    Map<String, Long> byCode = new TreeMap<>();
    bronze.counts().forEach((k, v) -> {
      if (k.startsWith("quarantined.")) {
        byCode.put(k.substring("quarantined.".length()), v);
      }
    });
    assertTrue(byCode.size() >= 3, "the defects reached quarantine under several codes: " + byCode);
    for (Map.Entry<String, Long> e : byCode.entrySet()) {
      assertEquals((double) e.getValue(), value(RunMetrics.QUARANTINED_BY_CODE + "{layer=\"bronze\",run_id=\"" + RUN
          + "\",code=\"" + e.getKey() + "\"}"), e.getKey());
    }
    long warnFailed = bronze.checks().stream().filter(c -> c.status().equals("FAIL") && c.severity().equals("WARN"))
        .count();
    assertEquals(warnFailed, value(RunMetrics.CHECKS_FAILED + "{layer=\"bronze\",run_id=\"" + RUN
        + "\",severity=\"WARN\"}"));
    Manifest gold = RunPublisher.readManifest(layout.manifest(DataLayout.GOLD, RUN));
    assertEquals(gold.counts().get("figure.sla.closed") - gold.counts().get("figure.sla.in_time"),
        value(RunMetrics.SLA_BREACHES + "{run_id=\"" + RUN + "\"}"));
  }

  /** Grafana's time macro, replaced by a condition every row of the served run meets. */
  static String withoutMacros(String sql) {
    String s = sql.replaceAll("\\$__timeFilter\\(([A-Za-z_.]+)\\)", "$1 IS NOT NULL");
    assertFalse(s.contains("$"), "a Grafana macro the test does not know: " + sql);
    return s;
  }

  @Test
  void everySqlOfTheDashboardsReadsRowsAsTheBiRole() throws Exception {
    String bi = env("PQRS_TEST_JDBC_URL") + "?user=pqrs_bi&password=pqrs_bi_dev";
    try (Connection c = DriverManager.getConnection(bi); Statement s = c.createStatement()) {
      for (Map.Entry<String, JsonNode> t : targets("pqrs-postgres")) {
        String sql = withoutMacros(t.getValue().get("rawSql").asText());
        try (ResultSet rs = s.executeQuery(sql)) {
          assertTrue(rs.next(), t.getKey() + ": no rows for " + sql);
          ResultSetMetaData md = rs.getMetaData();
          if (t.getValue().get("format").asText().equals("time_series")) {
            assertEquals("time", md.getColumnLabel(1), t.getKey() + ": a time series needs a first column named time");
          }
        }
      }
    }
  }
}
