package co.pqrs.lakehouse.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads a Parquet file row by row outside a pipeline (a loader, a test), through Beam's file systems
 * so a local path and an {@code s3://} object read the same way.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  public static long read(String path, Consumer<GenericRecord> rows) throws IOException {
    long n = 0;
    try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new BeamInputFile(path))
        .withDataModel(GenericData.get()).withConf(ParquetConfig.shared()).build()) {
      for (GenericRecord rec = r.read(); rec != null; rec = r.read()) {
        rows.accept(rec);
        n++;
      }
    }
    return n;
  }

  /**
   * A reader of the matched file's rows in the order they were written, with only {@code columns} (a
   * projection of the file's schema): the other columns are not decoded, and the rows are rows of
   * {@code columns}. For a step that reads a whole file itself instead of ParquetIO's split read.
   */
  public static ParquetReader<GenericRecord> open(MatchResult.Metadata file, Schema columns) throws IOException {
    return AvroParquetReader.<GenericRecord>builder(new BeamInputFile(file))
        .withDataModel(GenericData.get()).withConf(ParquetConfig.readingOnly(columns)).build();
  }

  /** A Parquet {@link InputFile} over a seekable channel from {@link FileSystems}. */
  static final class BeamInputFile implements InputFile {
    private final ResourceId resource;
    private final long length;

    BeamInputFile(String path) throws IOException {
      this(FileSystems.matchSingleFileSpec(path));
    }

    private BeamInputFile(MatchResult.Metadata file) {
      this.resource = file.resourceId();
      this.length = file.sizeBytes();
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableByteChannel ch = (SeekableByteChannel) FileSystems.open(resource);
      InputStream in = Channels.newInputStream(ch);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() throws IOException {
          return ch.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          ch.position(newPos);
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
          return ch.read(buf);
        }
      };
    }
  }
}
