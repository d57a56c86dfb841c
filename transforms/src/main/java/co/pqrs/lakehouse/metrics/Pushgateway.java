package co.pqrs.lakehouse.metrics;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A Prometheus Pushgateway: PUT replaces every metric of one group (job plus grouping labels). */
public final class Pushgateway implements Serializable {
  /** Where the Pushgateway is when {@code --pushgatewayUrl} is not given. */
  public static final String ENV_URL = "PQRS_PUSHGATEWAY_URL";

  private final String url;

  public Pushgateway(String url) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The option's value, else {@code $PQRS_PUSHGATEWAY_URL}, else null (no pushing). */
  public static Pushgateway resolve(String option) {
    String u = option != null && !option.isBlank() ? option : System.getenv(ENV_URL);
    return u == null || u.isBlank() ? null : new Pushgateway(u.strip());
  }

  public String url() {
    return url;
  }

  /** The group's path: {@code /metrics/job/<job>/<label>/<value>…}, values URL-encoded. */
  String groupPath(String job, Map<String, String> grouping) {
    StringBuilder p = new StringBuilder(url).append("/metrics/job/").append(encode(job));
    grouping.forEach((k, v) -> p.append('/').append(k).append('/').append(encode(v)));
    return p.toString();
  }

  /** Replaces the group's metrics with {@code exposition} (Prometheus text format 0.0.4). */
  public void put(String job, Map<String, String> grouping, String exposition) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(groupPath(job, grouping)))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .PUT(HttpRequest.BodyPublishers.ofString(exposition, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> resp;
    try {
      resp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pushing to " + url, e);
    }
    if (resp.statusCode() / 100 != 2) {
      throw new IOException("Pushgateway " + url + " answered " + resp.statusCode() + ": "
          + resp.body().strip().replace('\n', ' '));
    }
  }

  private static String encode(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
