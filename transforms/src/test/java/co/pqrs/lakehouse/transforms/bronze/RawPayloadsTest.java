package co.pqrs.lakehouse.transforms.bronze;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A duplicate's payload is its line read back from Raw: the line the parser saw (no BOM, no CR), at
 * the file and line it names, and nothing else; a Raw file changed since it was parsed stops the run.
 */
class RawPayloadsTest {
  private static final String A = "raw/pqrs/run_id=t/day=2025-01-02/part-00000.jsonl";
  private static final String B = "raw/pqrs/run_id=t/day=2025-01-03/part-00000.jsonl";

  @TempDir static Path root;

  @BeforeAll
  static void raw() throws IOException {
    // A BOM before the first line, a CRLF after the second, a line with two- and four-byte characters,
    // and a last line without a newline.
    write(A, ParseRawTest.concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "{\"n\":1}\n{\"n\":2}\r\n{\"n\":\"ñandú 🙏\"}\n\n{\"n\":5}".getBytes(StandardCharsets.UTF_8)));
    write(B, "{\"b\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
  }

  private static void write(String relative, byte[] bytes) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  private static Failure inRaw(String file, long line, String content) {
    return Failure.payloadInRaw(TypeBronze.STEP, Failure.DUPLICATE_EVENT_ID, "dropped " + line, file, line,
        ParseRawTest.sha256(content));
  }

  @Test
  void eachDuplicateGetsItsLineAsTheParserSawItAndTheRestStayAsTheyAre() throws IOException {
    Failure malformed = new Failure(ParseRaw.STEP, Failure.JSON_MALFORMED, "not valid JSON", A, 4, "{", null);
    List<Failure> failures = new ArrayList<>(List.of(
        inRaw(B, 2, "{\"b\":2}"), inRaw(A, 1, "{\"n\":1}"), malformed, inRaw(A, 5, "{\"n\":5}"),
        inRaw(A, 2, "{\"n\":2}"), inRaw(A, 3, "{\"n\":\"ñandú 🙏\"}")));

    List<Failure> filled = RawPayloads.filled(failures, DataLayout.at(root.toString()));

    List<String> payloads = new ArrayList<>();
    filled.forEach(f -> payloads.add(f.payload()));
    assertThat(payloads, equalTo(List.of("{\"b\":2}", "{\"n\":1}", "{", "{\"n\":5}", "{\"n\":2}", "{\"n\":\"ñandú 🙏\"}")));
    assertThat(filled.get(2), sameInstance(malformed));
    for (Failure f : filled) {
      assertThat(f.payloadInRaw(), is(false));
    }
    // The rest of the record is the one judged.
    assertThat(filled.get(0), equalTo(new Failure(TypeBronze.STEP, Failure.DUPLICATE_EVENT_ID, "dropped 2", B, 2,
        "{\"b\":2}", null)));
  }

  @Test
  void failuresWithTheirPayloadsReadNoRaw() throws IOException {
    List<Failure> failures = List.of(new Failure(ParseRaw.STEP, Failure.JSON_MALFORMED, "m", "raw/gone.jsonl", 1, "{", null));
    assertThat(RawPayloads.filled(failures, DataLayout.at(root.toString())), sameInstance(failures));
  }

  @Test
  void aLineThatIsNotTheOneParsedStopsTheRunNamingIt() {
    RunPublisher.RunDamagedException e = assertThrows(RunPublisher.RunDamagedException.class,
        () -> RawPayloads.filled(List.of(inRaw(B, 1, "{\"b\":1} ")), DataLayout.at(root.toString())));
    assertThat(e.getMessage().startsWith("Raw line " + B + ":1 is not the line Bronze parsed there (SHA-256 "), is(true));
    assertThat(e.getMessage().endsWith("): the file changed while Bronze ran; Raw files are immutable, so run Bronze"
        + " again once it is written"), is(true));
  }

  @Test
  void aFileShorterThanTheLineParsedStopsTheRunNamingIt() {
    RunPublisher.RunDamagedException e = assertThrows(RunPublisher.RunDamagedException.class,
        () -> RawPayloads.filled(List.of(inRaw(B, 1, "{\"b\":1}"), inRaw(B, 7, "{\"b\":7}")), DataLayout.at(root.toString())));
    assertThat(e.getMessage(), equalTo("Raw file " + B + " has 2 lines, but Bronze parsed line 7 of it: the file"
        + " changed while Bronze ran; Raw files are immutable, so run Bronze again once it is written"));
  }

  @Test
  void aFileGoneStopsTheRunNamingIt() {
    String gone = "raw/pqrs/run_id=t/day=2025-01-04/part-00000.jsonl";
    RunPublisher.RunDamagedException e = assertThrows(RunPublisher.RunDamagedException.class,
        () -> RawPayloads.filled(List.of(inRaw(gone, 1, "{}")), DataLayout.at(root.toString())));
    assertThat(e.getMessage(), equalTo("Raw file " + gone + " is gone, though Bronze parsed lines of it: Raw files"
        + " are immutable, so run Bronze again once it is back"));
  }
}
