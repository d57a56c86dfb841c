package co.pqrs.lakehouse.transforms.bronze;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import co.pqrs.lakehouse.layout.DataLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** ReadRawLines keeps every byte but the newline, numbers lines, and reads an empty file as none. */
public class ReadRawLinesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void linesWithPositionsFromEveryFile() throws Exception {
    Path root = tmp.newFolder("lake").toPath();
    Path day = Files.createDirectories(root.resolve("raw/pqrs/run_id=r/day=2025-01-01"));
    Files.write(day.resolve("a.jsonl"), "one\r\ntwo\n\nthree".getBytes(StandardCharsets.UTF_8));
    Files.write(day.resolve("empty.jsonl"), new byte[0]);
    DataLayout layout = DataLayout.at(root.toString());

    PCollection<RawLine> lines = pipeline.apply(
        new ReadRawLines(List.of(layout.rawRun("r") + "day=*/*.jsonl"), layout));
    PAssert.that(lines).satisfies(ls -> {
      Set<String> got = new TreeSet<>();
      ls.forEach(l -> got.add(l.file() + ":" + l.lineNumber() + ":" + new String(l.bytes(), StandardCharsets.UTF_8)));
      String f = "raw/pqrs/run_id=r/day=2025-01-01/a.jsonl";
      assertThat(got, equalTo(new TreeSet<>(List.of(f + ":1:one\r", f + ":2:two", f + ":3:", f + ":4:three"))));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void linesAcrossAndLongerThanTheReadBuffer() throws Exception {
    Path root = tmp.newFolder("lake").toPath();
    Path day = Files.createDirectories(root.resolve("raw/pqrs/run_id=r/day=2025-01-01"));
    // Lines of 40 000, 150 000 (more than the 64 KiB read buffer) and 7 bytes, then one without a newline.
    String a = "a".repeat(40_000);
    String b = "b".repeat(150_000);
    Files.write(day.resolve("long.jsonl"), (a + "\n" + b + "\nshort.7\n" + "tail").getBytes(StandardCharsets.UTF_8));
    DataLayout layout = DataLayout.at(root.toString());

    PCollection<RawLine> lines = pipeline.apply(
        new ReadRawLines(List.of(layout.rawRun("r") + "day=*/*.jsonl"), layout));
    PAssert.that(lines).satisfies(ls -> {
      Set<String> got = new TreeSet<>();
      ls.forEach(l -> got.add(l.lineNumber() + ":" + new String(l.bytes(), StandardCharsets.UTF_8)));
      assertThat(got, equalTo(new TreeSet<>(List.of("1:" + a, "2:" + b, "3:short.7", "4:tail"))));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  /** The day of a file is its own day= folder, whatever folders the root has: absolute and relative paths agree. */
  @Test
  public void theRawDayIsTheLastDayFolderOfThePath() {
    String relative = "raw/pqrs/run_id=r/day=2025-01-02/part-00000.jsonl";
    assertThat(ReadRawLines.rawDay("/data/day=2020-12-31/lake/" + relative), equalTo("2025-01-02"));
    assertThat(ReadRawLines.rawDay(relative), equalTo("2025-01-02"));
    assertThat(ReadRawLines.rawDay("/data/day=2020-12-31/lake/raw/pqrs/run_id=r/day=unknown/x-001.jsonl"), equalTo(""));
    assertThat(ReadRawLines.rawDay("raw/pqrs/run_id=r/day=unknown/x-001.jsonl"), equalTo(""));
  }

  /**
   * CountLines counts every line per day folder, and the blank ones by the parser's rule: nothing but
   * spaces and tabs once a BOM and a CR are removed, in a line no longer than RawLine.MAX_BYTES.
   */
  @Test
  public void countsLinesAndBlankLinesPerDay() throws Exception {
    Path root = tmp.newFolder("lake").toPath();
    Path d1 = Files.createDirectories(root.resolve("raw/pqrs/run_id=r/day=2025-01-01"));
    Path d2 = Files.createDirectories(root.resolve("raw/pqrs/run_id=r/day=2025-01-02"));
    String bom = "\uFEFF";
    // Blank: "", "  \t", "\r", a BOM alone, a BOM with " \r". Not blank: "{}", " x", "\r\r" (one CR is content).
    Files.write(d1.resolve("a.jsonl"), ("{}\n\n  \t\n\r\n" + bom + "\n" + bom + " \r\n x\n\r\r")
        .getBytes(StandardCharsets.UTF_8));
    Files.write(d1.resolve("b.jsonl"), "{}\n".getBytes(StandardCharsets.UTF_8));
    Files.write(d2.resolve("a.jsonl"), "   ".getBytes(StandardCharsets.UTF_8));
    // Too long to be an event: the parser quarantines it, so it is not counted blank.
    Files.write(d2.resolve("b.jsonl"), (" ".repeat(RawLine.MAX_BYTES + 1) + "\n").getBytes(StandardCharsets.UTF_8));
    DataLayout layout = DataLayout.at(root.toString());

    PCollection<KV<String, ReadRawLines.Counts>> counts =
        pipeline.apply(new ReadRawLines.CountLines(List.of(layout.rawRun("r") + "day=*/*.jsonl")));
    PAssert.that(counts).containsInAnyOrder(
        KV.of("2025-01-01", new ReadRawLines.Counts(9, 5)), KV.of("2025-01-02", new ReadRawLines.Counts(2, 1)));
    pipeline.run().waitUntilFinish();
  }

  /**
   * The reader and the counter cut lines by the same rule, also where a newline or the end of the
   * file falls exactly on the 64 KiB read buffer's edge.
   */
  @Test
  public void countingAndSplittingAgreeAtEveryEdge() throws Exception {
    int buf = 1 << 16;
    List<String> files = List.of("", "\n", "x", "x\n", "\n\nx", "a\r\nb\n\n",
        "a".repeat(buf - 1) + "\n", "a".repeat(buf) + "\n", "a".repeat(buf), "a".repeat(buf - 1) + "\nb",
        "a".repeat(2 * buf + 3) + "\n" + "b".repeat(buf));
    for (String text : files) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      List<String> split = new java.util.ArrayList<>();
      long counted = ReadRawLines.scanLines(new java.io.ByteArrayInputStream(bytes), null);
      long splitCount = ReadRawLines.scanLines(new java.io.ByteArrayInputStream(bytes),
          (b, from, to, length) -> split.add(new String(b, from, to - from, StandardCharsets.UTF_8)));
      String label = text.length() > 20 ? text.length() + " bytes" : "\"" + text + "\"";
      // The rule itself: every newline ends a line; anything after the last one is one more line.
      List<String> expected = new java.util.ArrayList<>(List.of(text.split("\n", -1)));
      if (expected.get(expected.size() - 1).isEmpty()) {
        expected.remove(expected.size() - 1);
      }
      assertThat(label, split, equalTo(expected));
      assertThat(label, splitCount, equalTo((long) expected.size()));
      assertThat(label, counted, equalTo(splitCount));
    }
  }

  /**
   * The newline search reads eight bytes at a time: it finds the first newline wherever it falls in a
   * word or in the tail, next to the bytes a borrow could confuse with it (0x09, 0x0B, 0x8A, 0x00,
   * 0xFF), and nothing in a range without one.
   */
  @Test
  public void theWordWideNewlineSearchFindsWhatAByteScanFinds() {
    java.util.Random r = new java.util.Random(7);
    byte[] alphabet = {'\n', 0x09, 0x0B, (byte) 0x8A, 0x00, (byte) 0xFF, 'a', 0x01};
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[1 + r.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        // Newlines rare enough that many ranges have none.
        b[i] = alphabet[r.nextInt(8) == 0 ? r.nextInt(alphabet.length) : 1 + r.nextInt(alphabet.length - 1)];
      }
      int from = r.nextInt(b.length + 1);
      int to = from + r.nextInt(b.length - from + 1);
      int expected = to;
      for (int i = from; i < to; i++) {
        if (b[i] == '\n') {
          expected = i;
          break;
        }
      }
      assertThat(java.util.Arrays.toString(b) + " [" + from + ", " + to + ")",
          ReadRawLines.newline(b, from, to), equalTo(expected));
    }
  }

  /**
   * A line longer than {@link RawLine#MAX_BYTES} reaches the reader as its first MAX_BYTES and its
   * length, wherever it falls (first, middle, last without a newline), and the counter never calls it
   * blank; a line of exactly MAX_BYTES is whole.
   */
  @Test
  public void aLineOverTheLimitIsHandedOnAsItsStartAndItsLength() throws Exception {
    int max = RawLine.MAX_BYTES;
    String longest = "x".repeat(max);
    String over = "{" + "y".repeat(max + 70_000);
    String blankOver = " ".repeat(max + 1);
    String text = over + "\n" + "a\n" + longest + "\n" + blankOver + "\n" + over;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<String> heads = new java.util.ArrayList<>();
    List<Long> lengths = new java.util.ArrayList<>();
    long n = ReadRawLines.scanLines(new java.io.ByteArrayInputStream(bytes), (b, from, to, length) -> {
      heads.add(new String(b, from, to - from, StandardCharsets.UTF_8));
      lengths.add(length);
    });
    assertThat(n, equalTo(5L));
    assertThat(heads, equalTo(List.of(over.substring(0, max), "a", longest, blankOver.substring(0, max),
        over.substring(0, max))));
    assertThat(lengths, equalTo(List.of((long) over.length(), 1L, (long) max, (long) blankOver.length(),
        (long) over.length())));
    assertThat(ReadRawLines.scanLines(new java.io.ByteArrayInputStream(bytes), null), equalTo(5L));
  }
}
