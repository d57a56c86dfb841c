package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.metrics.StepCounters;

import co.pqrs.lakehouse.layout.DataLayout;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Raw JSONL files as lines of bytes with their file and line number. TextIO would decode and
 * lose both; Bronze needs the exact bytes (to report invalid UTF-8) and the position of every line.
 */
public class ReadRawLines extends PTransform<PBegin, PCollection<RawLine>> {
  private final List<String> patterns;
  private final DataLayout layout;

  /** @param patterns absolute file patterns (globs allowed) below the layout's root */
  public ReadRawLines(List<String> patterns, DataLayout layout) {
    this.patterns = patterns;
    this.layout = layout;
  }

  @Override
  public PCollection<RawLine> expand(PBegin begin) {
    return begin
        .apply("RawFilePatterns", Create.of(patterns))
        .apply("MatchRawFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("OpenRawFiles", FileIO.readMatches().withCompression(Compression.UNCOMPRESSED))
        .apply("SplitLines", ParDo.of(new SplitLinesFn(layout)))
        .setCoder(RawLine.Coder.of());
  }

  static class SplitLinesFn extends DoFn<FileIO.ReadableFile, RawLine> {
    private static final Logger LOG = LoggerFactory.getLogger(SplitLinesFn.class);
    private final DataLayout layout;

    SplitLinesFn(DataLayout layout) {
      this.layout = layout;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile f, OutputReceiver<RawLine> out) throws Exception {
      String file = layout.relative(f.getMetadata().resourceId().toString());
      long n = 0;
      try (InputStream in = new BufferedInputStream(Channels.newInputStream(f.open()), 1 << 16)) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        int b;
        while ((b = in.read()) != -1) {
          if (b == '\n') {
            out.output(new RawLine(file, ++n, line.toByteArray()));
            line.reset();
          } else {
            line.write(b);
          }
        }
        if (line.size() > 0) {
          out.output(new RawLine(file, ++n, line.toByteArray()));
        }
      }
      StepCounters.RECORDS_IN.inc(n);
      LOG.info("read {}: {} lines", file, n);
    }
  }
}
