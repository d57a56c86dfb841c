package co.pqrs.lakehouse.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.RecordMaterializer;

/**
 * Reads a Parquet file row by row outside a pipeline (a loader, a test, Gold's ticket pass), through
 * Beam's file systems so a local path and an {@code s3://} object read the same way.
 *
 * <p>Not through Parquet's {@code ParquetReader}: its builder makes a Hadoop {@code Configuration}
 * of its own and reads a setting from it before it takes the one it is given, so every file it
 * opened parsed Hadoop's default XML resources again: about 4 ms a file once warm, and Gold's ticket
 * pass opens every Silver ticket file (53 at 5 M events), the PostgreSQL loader every Gold file
 * (docs/benchmarks/changes.md, "Forty-eighth change"). {@link Rows} does what that reader does for a
 * file read without a filter, on the configuration {@link ParquetConfig} gives it, which parses
 * nothing.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  public static long read(String path, Consumer<GenericRecord> rows) throws IOException {
    long n = 0;
    try (Rows r = Rows.open(new BeamInputFile(path), ParquetConfig.shared())) {
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
  public static Rows open(MatchResult.Metadata file, Schema columns) throws IOException {
    return Rows.open(new BeamInputFile(file), ParquetConfig.readingOnly(columns));
  }

  /** A file's rows one after the other; null after the last. */
  public interface RowReader extends AutoCloseable {
    GenericRecord read() throws IOException;

    @Override
    void close() throws IOException;
  }

  /**
   * A file's rows, row group after row group: {@link #startGroup} is given each group's pages, then
   * {@link #nextRow} is asked for as many rows as the group has.
   */
  abstract static class GroupedRows implements RowReader {
    final ParquetFileReader file;
    private long leftInGroup;

    GroupedRows(ParquetFileReader file) {
      this.file = file;
    }

    abstract void startGroup(PageReadStore pages);

    abstract GenericRecord nextRow();

    /** The next row, or null after the last. */
    @Override
    public final GenericRecord read() throws IOException {
      while (leftInGroup == 0) {
        PageReadStore pages = file.readNextRowGroup();
        if (pages == null) {
          return null;
        }
        leftInGroup = pages.getRowCount();
        startGroup(pages);
      }
      leftInGroup--;
      return nextRow();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }

    /** Opens {@code in} and makes its reader with {@code make}, closing the file if that fails. */
    static <R> R open(InputFile in, Configuration conf, Function<ParquetFileReader, R> make) throws IOException {
      ParquetFileReader file = ParquetFileReader.open(in, HadoopReadOptions.builder(conf).build());
      try {
        return make.apply(file);
      } catch (RuntimeException e) {
        file.close();
        throw e;
      }
    }
  }

  /** One file's rows as Avro records, row group after row group; {@link #read} gives null at the end. */
  public static final class Rows extends GroupedRows {
    private final MessageColumnIO columns;
    private final RecordMaterializer<GenericRecord> records;
    private RecordReader<GenericRecord> group;

    private Rows(ParquetFileReader file, MessageColumnIO columns, RecordMaterializer<GenericRecord> records) {
      super(file);
      this.columns = columns;
      this.records = records;
    }

    /** Avro's read support on {@code conf} (a projection, a read schema) decides the columns and the rows' schema. */
    public static Rows open(InputFile in, Configuration conf) throws IOException {
      return GroupedRows.open(in, conf, file -> {
        FileMetaData footer = file.getFooter().getFileMetaData();
        Map<String, String> keyValues = footer.getKeyValueMetaData();
        Map<String, Set<String>> keyValueSets = new HashMap<>();
        keyValues.forEach((k, v) -> keyValueSets.put(k, Set.of(v)));
        AvroReadSupport<GenericRecord> support = new AvroReadSupport<>(GenericData.get());
        ReadSupport.ReadContext context = support.init(new InitContext(conf, keyValueSets, footer.getSchema()));
        file.setRequestedSchema(context.getRequestedSchema());
        MessageColumnIO columns = new ColumnIOFactory(footer.getCreatedBy())
            .getColumnIO(context.getRequestedSchema(), footer.getSchema(), true);
        return new Rows(file, columns, support.prepareForRead(conf, keyValues, footer.getSchema(), context));
      });
    }

    @Override
    void startGroup(PageReadStore pages) {
      group = columns.getRecordReader(pages, records, FilterCompat.NOOP);
    }

    @Override
    GenericRecord nextRow() {
      return group.read();
    }
  }

  /** A Parquet {@link InputFile} over a seekable channel from {@link FileSystems}. */
  public static final class BeamInputFile implements InputFile {
    private final ResourceId resource;
    private final long length;

    BeamInputFile(String path) throws IOException {
      this(FileSystems.matchSingleFileSpec(path));
    }

    public BeamInputFile(MatchResult.Metadata file) {
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
