package co.pqrs.lakehouse.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Flink REST calls a user (or the web UI) makes to run a jar on a session cluster. */
final class FlinkRest {
  static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  FlinkRest(String base) {
    this.base = base.replaceAll("/+$", "");
  }

  /** A non-2xx answer: its status and Flink's error list. */
  static final class RestError extends IOException {
    final int status;

    RestError(int status, String body) {
      super("HTTP " + status + ": " + body);
      this.status = status;
    }
  }

  private JsonNode send(HttpRequest r) throws IOException, InterruptedException {
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) {
      throw new RestError(resp.statusCode(), resp.body());
    }
    return JSON.readTree(resp.body());
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  /** POST /jars/upload; returns the jar id. */
  String upload(Path jar) throws IOException, InterruptedException {
    String boundary = "pqrs" + Long.toHexString(jar.toFile().length());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode r = send(HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    String file = r.get("filename").asText();
    return file.substring(file.lastIndexOf('/') + 1);
  }

  /** POST /jars/{id}/run; returns the job id. A null entry class leaves it to the jar's Main-Class. */
  String run(String jarId, String entryClass, List<String> args) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(entryClass == null ? Map.of("programArgsList", args)
        : Map.of("entryClass", entryClass, "programArgsList", args));
    return send(HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run"))
        .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build()).get("jobid").asText();
  }

  /** Polls GET /jobs/{id} until a terminal state or the timeout. */
  String await(String jobId, Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String state = get("/jobs/" + jobId).get("state").asText();
      if (TERMINAL.contains(state) || System.nanoTime() > end) {
        return state;
      }
      Thread.sleep(1000);
    }
  }

  String rootException(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/exceptions").path("root-exception").asText();
  }
}
