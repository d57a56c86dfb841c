package co.pqrs.lakehouse.transforms.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import co.pqrs.lakehouse.metrics.StepCounters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Files read whole: every row of every matched file, only the columns asked for, each row made by the
 * given function; a wildcard matching nothing is an empty read; a
 * file that is not Parquet fails the read with its name.
 */
public class ReadWholeParquetTest {
  private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"text\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"n\",\"type\":\"long\"}]}");
  private static final Schema ID_AND_N = ParquetConfig.projection(SCHEMA, List.of("id", "n"));

  @Rule public final transient TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
  @Rule public final TemporaryFolder dir = new TemporaryFolder();

  /** {@code rows} rows with ids {@code prefix-i}, in row groups of about 4 KB (so a file has several). */
  private Path file(String name, String prefix, int rows) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FlatParquetWriter w = ParquetWriters.open(new AvroRows(SCHEMA), out, 4_096)) {
      for (int i = 0; i < rows; i++) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", prefix + "-" + i);
        r.put("text", "texto largo que no se pide " + i);
        r.put("n", (long) i);
        w.write(r);
      }
    }
    return Files.write(dir.getRoot().toPath().resolve(name), out.toByteArray());
  }

  /** A row as text; a row with a column not asked for fails the read. */
  static final class Describe implements SerializableFunction<GenericRecord, String> {
    @Override
    public String apply(GenericRecord r) {
      if (r.getSchema().getField("text") != null) {
        throw new IllegalStateException("a column not asked for was read");
      }
      return r.get("id") + ":" + r.get("n");
    }
  }

  @Test
  public void readsEveryRowOfEveryMatchedFileWithOnlyTheColumnsAskedFor() throws Exception {
    file("a.parquet", "a", 2_000);
    file("b.parquet", "b", 7);
    Files.writeString(dir.getRoot().toPath().resolve("notes.txt"), "not matched", StandardCharsets.UTF_8);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      expected.add("a-" + i + ":" + i);
    }
    for (int i = 0; i < 7; i++) {
      expected.add("b-" + i + ":" + i);
    }
    ReadWholeParquet<String> read = ReadWholeParquet.of(dir.getRoot() + "/*.parquet", ID_AND_N, new Describe(),
        StringUtf8Coder.of());
    PAssert.that(pipeline.apply("Records", read)).containsInAnyOrder(expected);
    // One record reused from row to row, read column by column: the same rows for a function that copies.
    PAssert.that(pipeline.apply("Reused", read.reusingRows())).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void rowsAreReusedOnlyOverFlatColumns() {
    Schema tags = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
        + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}");
    ReadWholeParquet<String> read = ReadWholeParquet.of("x/*.parquet", tags, new Describe(), StringUtf8Coder.of());
    Exception e = assertThrows(IllegalArgumentException.class, read::reusingRows);
    assertTrue(e.getMessage(), e.getMessage().contains("field tags"));
  }

  /** The rows counted as records in, by a read that counts them; a read that does not counts none. */
  @Test
  public void countsTheRowsAsRecordsInOnlyWhenAsked() throws Exception {
    file("a.parquet", "a", 2_000);
    file("b.parquet", "b", 7);
    String pattern = dir.getRoot() + "/*.parquet";
    for (boolean counting : new boolean[] {true, false}) {
      Pipeline p = Pipeline.create();
      ReadWholeParquet<String> read = ReadWholeParquet.of(pattern, ID_AND_N, new Describe(), StringUtf8Coder.of());
      p.apply(counting ? read.countingRecordsIn() : read);
      PipelineResult result = p.run();
      result.waitUntilFinish();
      long in = 0;
      for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(StepCounters.NAMESPACE, "records_in")).build()).getCounters()) {
        in += c.getAttempted();
      }
      assertEquals("counting " + counting, counting ? 2_007 : 0, in);
    }
  }

  @Test
  public void aWildcardMatchingNothingIsAnEmptyRead() {
    PAssert.that(pipeline.apply(ReadWholeParquet.of(dir.getRoot() + "/none-*.parquet", ID_AND_N, new Describe(),
        StringUtf8Coder.of()))).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aFileThatIsNotParquetFailsTheReadWithItsName() throws Exception {
    file("good.parquet", "g", 10);
    Files.write(dir.getRoot().toPath().resolve("broken.parquet"), "PAR1 not really".getBytes(StandardCharsets.UTF_8));
    Pipeline p = Pipeline.create();
    p.apply(ReadWholeParquet.of(dir.getRoot() + "/*.parquet", ID_AND_N, new Describe(), StringUtf8Coder.of()));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String messages = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages += t.getMessage() + "\n";
    }
    assertTrue(messages, messages.contains("cannot read ") && messages.contains("broken.parquet (row 1)"));
  }
}
