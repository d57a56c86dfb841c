package co.pqrs.lakehouse.pipelines;

import static co.pqrs.lakehouse.pipelines.PqrsCliTest.pqrs;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.config.Source;
import co.pqrs.lakehouse.manifest.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pqrs bronze` as a user runs it, after `pqrs simulate` or `pqrs ingest`. */
class BronzeCliTest {
  @TempDir Path dir;

  private static final String T = "11111111-1111-3111-8111-111111111111";

  static String created(String id, String ts) {
    return "{\"schema_version\":\"1.0\",\"event_id\":\"" + id + "\",\"ticket_id\":\"" + T
        + "\",\"event_type\":\"TICKET_CREATED\",\"ts\":\"" + ts + "\",\"data\":{\"external_id\":\"X-1\","
        + "\"channel\":\"email\",\"pqrs_type\":\"Q\",\"priority\":\"baja\",\"municipality_code\":\"05001\","
        + "\"subject\":\"s\",\"text\":\"queja\"}}";
  }

  @Test
  void bronzeAccountsForEveryLineOfAnIngestedFile() throws Exception {
    // The ingest issue's fixture, as events: BOM, CRLF, invalid UTF-8, a blank line, no timestamp.
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    b.write((created("aaaaaaaa-0000-3000-8000-000000000001", "2025-01-02T08:00:00-05:00") + "\n").getBytes(StandardCharsets.UTF_8));
    b.write((created("aaaaaaaa-0000-3000-8000-000000000002", "2025-01-02T09:00:00-05:00") + "\r\n").getBytes(StandardCharsets.UTF_8));
    b.write(created("aaaaaaaa-0000-3000-8000-000000000003", "2025-01-02T10:00:00-05:00")
        .replace("queja", "caf").getBytes(StandardCharsets.UTF_8));
    b.write(new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
    b.write("\n".getBytes(StandardCharsets.UTF_8));
    b.write((created("aaaaaaaa-0000-3000-8000-000000000004", "x").replace("\"ts\":\"x\",", "") + "\n")
        .getBytes(StandardCharsets.UTF_8));
    Path input = dir.resolve("export.jsonl");
    Files.write(input, b.toByteArray());
    // Half of this file is bad: relax the FAIL threshold so the run publishes and can be inspected.
    Path cfg = Files.createDirectories(dir.resolve("cfg"));
    Files.writeString(cfg.resolve(QualityConfig.FILE),
        Source.packaged(Source.Kind.CONFIG, QualityConfig.FILE).text().replace("threshold: 0.25", "threshold: 1.0"));
    Path root = dir.resolve("lake");

    assertThat(pqrs("ingest", input.toString(), "--run-id", "ext", "--root", root.toString()).code(), is(0));
    PqrsCliTest.Run r = pqrs("bronze", "--run-id", "ext", "--root", root.toString(), "--config-dir", cfg.toString());
    assertThat(r.err(), r.code(), is(0));
    assertThat(r.out(), containsString("bronze run ext DEGRADED"));
    assertThat(r.out(), containsString("in 5 raw lines -> out 2 rows, quarantined 2 (encoding=1, schema_violation=1), blank 1"));
    Manifest m = Manifest.fromJson(Files.readAllBytes(root.resolve("manifests/bronze/run_id=ext/manifest.json")));
    Manifest raw = Manifest.fromJson(Files.readAllBytes(root.resolve("manifests/raw/run_id=ext/manifest.json")));
    assertThat(m.counts().get("raw_lines"), equalTo(raw.counts().get("lines")));
    // Each rejected line lands in the quarantine of its Raw day partition, day=unknown included.
    Path q = root.resolve("quarantine/bronze/run_id=ext");
    try (java.util.stream.Stream<Path> files = Files.walk(q)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> q.relativize(f).toString()).sorted().toList(),
          equalTo(java.util.List.of("day=2025-01-02/part-00000.jsonl", "day=unknown/part-00000.jsonl")));
    }
    assertThat(Files.readString(q.resolve("day=unknown/part-00000.jsonl")), containsString("\"error_code\":\"schema_violation\""));
    assertThat(Files.readString(q.resolve("day=2025-01-02/part-00000.jsonl")), containsString("\"error_code\":\"encoding\""));
  }

  @Test
  void bronzeAfterSimulateAndItsErrors() throws Exception {
    Path root = dir.resolve("lake2");
    Path cfg = PqrsCliTest.writeSmallConfig(Files.createDirectories(dir.resolve("cfg2")));
    assertThat(pqrs(PqrsCliTest.simulateArgs(cfg, root, "--run-id", "s")).code(), is(0));
    PqrsCliTest.Run r = pqrs("bronze", "--run-id", "s", "--root", root.toString());
    assertThat(r.err(), r.code(), is(0));
    assertThat(r.out(), containsString("bronze run s SUCCESS"));
    assertThat(r.out(), containsString("quarantined 0, blank 0"));
    assertThat(r.out(), containsString("checks: 8/8 pass"));

    PqrsCliTest.Run silver = pqrs("silver", "--run-id", "s", "--root", root.toString());
    assertThat(silver.err(), silver.code(), is(0));
    assertThat(silver.out(), containsString("silver run s SUCCESS (as of 2025-02-13T05:00:00Z)"));
    assertThat(silver.out(), containsString("tickets with lifecycle violations: 0"));
    assertThat(Files.exists(root.resolve("silver/tickets/run_id=s/part-00000.parquet")), is(true));
    assertThat(pqrs("silver", "--run-id", "nope", "--root", root.toString()).err().trim(),
        containsString("silver: error: bronze run_id nope not found"));

    PqrsCliTest.Run missing = pqrs("bronze", "--run-id", "nope", "--root", root.toString());
    assertThat(missing.code(), is(2));
    assertThat(missing.err().trim(), containsString("bronze: error: raw run_id nope not found"));
    assertThat(missing.err().trim().lines().count(), is(1L));
  }

  @Test
  void noMegabytesToSortInIsOneLine() {
    PqrsCliTest.Run r = pqrs("bronze", "--run-id", "any", "--root", dir.toString(), "--sortHeldMb=0");
    assertThat(r.code(), is(2));
    assertThat(r.err().trim(), equalTo("bronze: error: --sortHeldMb: 0 is not a number of megabytes (1 or more)"));
  }

  /**
   * A file that is one JSON array, not JSON Lines, is one line longer than any event: ingest copies it
   * to day=unknown byte for byte without holding it, and Bronze quarantines it with its length, where
   * the other lines are kept.
   */
  @Test
  public void aLineLongerThanAnyEventIsKeptInRawAndQuarantined() throws Exception {
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; array.length() <= co.pqrs.lakehouse.transforms.bronze.RawLine.MAX_BYTES; i++) {
      array.append(created(String.format("bbbbbbbb-0000-3000-8000-%012d", i), "2025-01-02T08:00:00-05:00")).append(',');
    }
    String longLine = array.append("{}]").toString();
    String text = created("aaaaaaaa-0000-3000-8000-000000000001", "2025-01-02T08:00:00-05:00") + "\n"
        + longLine + "\n"
        + created("aaaaaaaa-0000-3000-8000-000000000002", "2025-01-02T09:00:00-05:00") + "\n"
        + created("aaaaaaaa-0000-3000-8000-000000000003", "2025-01-02T10:00:00-05:00") + "\n"
        + created("aaaaaaaa-0000-3000-8000-000000000004", "2025-01-02T11:00:00-05:00");
    Path input = dir.resolve("export.json");
    Files.writeString(input, text);
    Path root = dir.resolve("lake3");

    PqrsCliTest.Run ingest = pqrs("ingest", input.toString(), "--run-id", "arr", "--root", root.toString());
    assertThat(ingest.err(), ingest.code(), is(0));
    Manifest raw = Manifest.fromJson(Files.readAllBytes(root.resolve("manifests/raw/run_id=arr/manifest.json")));
    assertThat(raw.counts().get("lines"), is(5L));
    assertThat(raw.counts().get("unknown_day_lines"), is(1L));
    assertThat(Files.readString(root.resolve("raw/pqrs/run_id=arr/day=unknown/export-001.jsonl")), equalTo(longLine + "\n"));
    // The Raw data hash is over every line, the long one streamed through it.
    co.pqrs.lakehouse.manifest.DataHash lines = co.pqrs.lakehouse.manifest.DataHash.EMPTY;
    for (String l : text.split("\n")) {
      lines = lines.plus(co.pqrs.lakehouse.manifest.DataHash.ofRow(l.getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(raw.dataHash(), equalTo(lines.hex()));

    PqrsCliTest.Run r = pqrs("bronze", "--run-id", "arr", "--root", root.toString());
    assertThat(r.err(), r.code(), is(0));
    assertThat(r.out(), containsString("in 5 raw lines -> out 4 rows, quarantined 1 (line_too_long=1), blank 0"));
    // The quarantined line names where it is in Raw: the first line of the day=unknown file.
    com.fasterxml.jackson.databind.JsonNode q = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        Files.readString(root.resolve("quarantine/bronze/run_id=arr/day=unknown/part-00000.jsonl")));
    assertThat(q.get("error_code").asText(), equalTo("line_too_long"));
    assertThat(q.get("message").asText(), containsString(String.format(java.util.Locale.ROOT,
        "line of %,d bytes, over the %,d", longLine.length(), co.pqrs.lakehouse.transforms.bronze.RawLine.MAX_BYTES)));
    assertThat(q.get("source_file").asText(), equalTo("raw/pqrs/run_id=arr/day=unknown/export-001.jsonl"));
    assertThat(q.get("source_line").asLong(), is(1L));
    assertThat(q.get("payload").asText().equals(longLine.substring(0, co.pqrs.lakehouse.transforms.bronze.RawLine.MAX_BYTES)),
        is(true));
  }
}
