package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.metrics.RunMetrics;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The final figures of a DirectRunner run reach the real Pushgateway and Prometheus `make test`
 * starts, as those of the Flink jobs do ({@link MonitoringIT}): pushing does not depend on the runner.
 */
class PushgatewayIT {
  @TempDir Path dir;

  @Test
  void aDirectRunnerRunPushesItsFiguresToo() throws Exception {
    String run = "push-direct-" + Long.toHexString(System.nanoTime());
    Path root = dir.resolve("lake");
    PqrsCliTest.Run r = PqrsCliTest.pqrs(PqrsCliTest.simulateArgs(PqrsCliTest.writeSmallConfig(dir), root,
        "--run-id", run, "--pushgatewayUrl=" + PostgresServingIT.env("PQRS_PUSHGATEWAY_URL")));
    assertEquals(0, r.code(), r.err());
    Manifest m = RunPublisher.readManifest(DataLayout.at(root.toString()).manifest(DataLayout.RAW, run));

    String query = RunMetrics.RECORDS_OUT + "{job=\"pqrs\",layer=\"raw\",run_id=\"" + run + "\",runner=\"DirectRunner\"}";
    String url = PostgresServingIT.env("PQRS_PROMETHEUS_URL") + "/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8);
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode result = new ObjectMapper().readTree(resp.body()).path("data").path("result");
      if (result.size() == 1) {
        assertEquals((double) m.counts().get("lines"), result.get(0).get("value").get(1).asDouble());
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        fail("Prometheus never scraped " + query + ": " + resp.body());
      }
      Thread.sleep(500);
    }
  }
}
