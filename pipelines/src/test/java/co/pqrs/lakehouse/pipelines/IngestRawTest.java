package co.pqrs.lakehouse.pipelines;

import static co.pqrs.lakehouse.pipelines.PqrsCliTest.pqrs;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import co.pqrs.lakehouse.manifest.Manifest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pqrs ingest`: external files land in Raw byte for byte, and Raw stays immutable. */
class IngestRawTest {
  @TempDir static Path dir;
  static Path input;
  static byte[] inputBytes;

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @BeforeAll
  static void fixture() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // BOM before the first line
    b.write(ascii("{\"event_id\":\"a\",\"ts\":\"2025-01-02T03:00:00Z\",\"data\":{}}\n"));   // Bogota: 1 Jan
    b.write(ascii("{\"event_id\":\"b\",\"ts\":\"2025-01-02T10:00:00-05:00\",\"data\":{}}\r\n")); // CRLF
    b.write(ascii("{\"event_id\":\"c\",\"ts\":\"2025-01-02T11:00:00-05:00\",\"data\":{\"text\":\"caf"));
    b.write(new byte[] {(byte) 0xC3, (byte) 0x28});                                     // invalid UTF-8
    b.write(ascii("\"}}\n"));
    b.write(ascii("\n"));                                                                   // blank line
    b.write(ascii("{\"event_id\":\"d\",\"data\":{}}\n"));                                  // no timestamp
    b.write(ascii("{\"event_id\":\"e\",\"ts\":\"2025-01-03 08:00:00\",\"data\":{}}\n"));    // no offset
    b.write(ascii("{\"event_id\":\"f\",\"ts\":\"2025-01-03T09:00:00-05:00\"}"));            // no newline at EOF
    inputBytes = b.toByteArray();
    input = dir.resolve("export.jsonl");
    Files.write(input, inputBytes);
  }

  private static List<Path> files(Path folder) throws Exception {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Splits on \n keeping each line's bytes (CR included), as Raw stores them. */
  private static List<String> lines(byte[] bytes) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        out.add(Arrays.toString(Arrays.copyOfRange(bytes, start, i)));
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      out.add(Arrays.toString(Arrays.copyOfRange(bytes, start, bytes.length)));
    }
    return out;
  }

  @Test
  void everyByteLandsInRawAndTheManifestCountsMatch() throws Exception {
    Path root = dir.resolve("lake1");
    PqrsCliTest.Run r = pqrs("ingest", input.toString(), "--run-id", "ext", "--root", root.toString());
    assertThat(r.err(), r.code(), is(0));
    assertThat(r.out(), containsString("raw run ext ingested"));
    Path run = root.resolve("raw/pqrs/run_id=ext");

    List<String> landed = new ArrayList<>();
    long bytes = 0;
    for (Path f : files(run)) {
      byte[] b = Files.readAllBytes(f);
      bytes += b.length;
      landed.addAll(lines(b));
    }
    List<String> expected = new ArrayList<>(lines(inputBytes));
    assertThat(bytes, is((long) inputBytes.length));
    landed.sort(null);
    expected.sort(null);
    assertThat(landed, equalTo(expected));

    Manifest m = Manifest.fromJson(Files.readAllBytes(root.resolve("manifests/raw/run_id=ext/manifest.json")));
    assertThat(m.counts().get("lines"), is(7L));
    assertThat(m.counts().get("blank_lines"), is(1L));
    assertThat(m.counts().get("unknown_day_lines"), is(3L)); // blank, no ts, ts without offset
    assertThat(m.partitionCounts().get("day=2025-01-01"), is(1L)); // 03:00Z is still 1 January in Bogota
    assertThat(m.partitionCounts().get("day=2025-01-02"), is(2L));
    assertThat(m.partitionCounts().get("day=2025-01-03"), is(1L));
    assertThat(m.partitionCounts().get("day=unknown"), is(3L));
    // The BOM stays on the line it began.
    byte[] first = Files.readAllBytes(run.resolve("day=2025-01-01").toFile().listFiles()[0].toPath());
    assertThat(first[0], is((byte) 0xEF));
    assertThat(m.parameters().toString(), containsString("export.jsonl"));
  }

  @Test
  void ingestingTheSameRunTwiceIsANoOpAndOtherContentIsRefused() throws Exception {
    Path root = dir.resolve("lake2");
    assertThat(pqrs("ingest", input.toString(), "--run-id", "ext", "--root", root.toString()).code(), is(0));
    Path manifest = root.resolve("manifests/raw/run_id=ext/manifest.json");
    byte[] before = Files.readAllBytes(manifest);
    List<Path> filesBefore = files(root.resolve("raw"));

    PqrsCliTest.Run again = pqrs("ingest", input.toString(), "--run-id", "ext", "--root", root.toString());
    assertThat(again.code(), is(0));
    assertThat(again.out(), containsString("already held these files: nothing written"));
    assertThat(Files.readAllBytes(manifest), equalTo(before));

    Path other = dir.resolve("other.jsonl");
    Files.writeString(other, "{\"event_id\":\"z\",\"ts\":\"2025-01-05T09:00:00-05:00\"}\n");
    PqrsCliTest.Run refused = pqrs("ingest", other.toString(), "--run-id", "ext", "--root", root.toString());
    assertThat(refused.code(), is(2));
    assertThat(refused.err().trim(), containsString("raw run_id ext already exists"));
    assertThat(refused.err().trim().lines().count(), is(1L));
    assertThat(files(root.resolve("raw")), equalTo(filesBefore));
    assertThat(Files.readAllBytes(manifest), equalTo(before));
  }

  @Test
  void aMissingFileIsOneLineBeforeAnythingIsWritten() {
    Path root = dir.resolve("lake3");
    PqrsCliTest.Run r = pqrs("ingest", input.toString(), dir.resolve("nope.jsonl").toString(),
        "--run-id", "x", "--root", root.toString());
    assertThat(r.code(), is(2));
    assertThat(r.err().trim(), equalTo("ingest: error: " + dir.resolve("nope.jsonl") + ": no such file"));
    assertThat(Files.exists(root), is(false));
  }

  @Test
  void globsExpandInPathOrder() throws Exception {
    Path src = Files.createDirectories(dir.resolve("many"));
    Files.writeString(src.resolve("a.jsonl"), "{\"ts\":\"2025-02-01T09:00:00-05:00\"}\n");
    Files.writeString(src.resolve("b.jsonl"), "{\"ts\":\"2025-02-01T10:00:00-05:00\"}\n");
    Path root = dir.resolve("lake4");
    PqrsCliTest.Run r = pqrs("ingest", src + "/*.jsonl", "--run-id", "g", "--root", root.toString());
    assertThat(r.err(), r.code(), is(0));
    Manifest m = Manifest.fromJson(Files.readAllBytes(root.resolve("manifests/raw/run_id=g/manifest.json")));
    assertThat(m.counts().get("source_files"), is(2L));
    assertThat(m.files().size(), is(2));
    assertThat(m.partitionCounts().get("day=2025-02-01"), is(2L));
  }
}
