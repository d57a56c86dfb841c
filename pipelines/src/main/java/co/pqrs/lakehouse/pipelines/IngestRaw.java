package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.contracts.RawTimestamps;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.manifest.Sha256;
import co.pqrs.lakehouse.transforms.bronze.RawLine;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Brings external JSONL files into the lakehouse as a Raw run. Lines are copied byte for byte (CR,
 * BOM, invalid UTF-8 and all) into the {@code day=} partition of their timestamp, or into
 * {@code day=unknown} when no day can be read; nothing is parsed away and nothing is fixed. Inputs
 * stream through, one line in memory at a time, and at most {@link RawLine#MAX_BYTES} of it: a longer
 * line goes to {@code day=unknown} as it is read.
 */
public final class IngestRaw {
  /** Partition for lines whose event day cannot be read. */
  public static final String UNKNOWN_DAY = DataLayout.UNKNOWN_DAY;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PROGRESS_EVERY = 64L << 20;

  private IngestRaw() {}

  /** One input file, resolved before anything is written. */
  public record SourceFile(String path, String name, long sizeBytes) {}

  public record Result(Manifest manifest, boolean alreadyExisted, String manifestPath) {}

  /** Expands paths and globs; a pattern that matches nothing is a one-line error. */
  public static List<SourceFile> resolve(List<String> patterns) throws IOException {
    List<SourceFile> out = new ArrayList<>();
    for (String given : patterns) {
      String p = DataLayout.isUri(given) ? given : java.nio.file.Path.of(given).toAbsolutePath().toString();
      MatchResult m = FileSystems.match(p, EmptyMatchTreatment.ALLOW_IF_WILDCARD);
      if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
        throw new IllegalArgumentException(given + ": no such file");
      }
      List<MatchResult.Metadata> files = new ArrayList<>(m.metadata());
      files.sort(java.util.Comparator.comparing(x -> x.resourceId().toString()));
      for (MatchResult.Metadata md : files) {
        String path = md.resourceId().toString();
        try (InputStream in = Channels.newInputStream(FileSystems.open(md.resourceId()))) {
          in.read();
        } catch (IOException e) {
          throw new IllegalArgumentException(path + ": cannot be read (" + e.getMessage() + ")");
        }
        out.add(new SourceFile(path, md.resourceId().getFilename(), md.sizeBytes()));
      }
    }
    return out;
  }

  /** The event-day partition of a raw line, or {@link #UNKNOWN_DAY}. */
  static String partitionOf(byte[] line, int len) {
    int start = 0;
    if (len >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
      start = 3; // a BOM is kept in Raw, but read past here
    }
    try {
      JsonNode n = JSON.readTree(new String(line, start, len - start, StandardCharsets.UTF_8));
      OffsetDateTime ts = n == null ? null : RawTimestamps.parse(n.path("ts").asText(null));
      return ts == null ? UNKNOWN_DAY : DataLayout.dayPartition(RawTimestamps.eventDay(ts));
    } catch (IOException | RuntimeException e) {
      return UNKNOWN_DAY;
    }
  }

  private static final class Out {
    final String relative;
    final OutputStream stream;
    final MessageDigest digest = Sha256.digest();
    long rows;
    long bytes;

    Out(String relative, OutputStream stream) {
      this.relative = relative;
      this.stream = stream;
    }

    /** Writes {@code part} of the line being copied, whole or in parts (a line too long to hold). */
    void write(byte[] part, DataHash.Builder hash) throws IOException {
      stream.write(part);
      digest.update(part);
      bytes += part.length;
      hash.update(part, 0, part.length);
    }

    /** Ends the line: its newline, when the input had one, and one row of this file and of the run's hash. */
    void endLine(boolean newline, DataHash.Builder hash) throws IOException {
      if (newline) {
        stream.write('\n');
        digest.update((byte) '\n');
        bytes++;
      }
      rows++;
      hash.endRow();
    }
  }

  /** The output of the Raw file {@code rel} (relative to the root), opened under {@code staging} when first asked for. */
  private static Out open(Map<String, Out> outs, String staging, String rel) throws IOException {
    Out o = outs.get(rel);
    if (o == null) {
      o = new Out(rel, new BufferedOutputStream(LakehouseFiles.createStream(staging + rel, "application/x-ndjson"), 1 << 16));
      outs.put(rel, o);
    }
    return o;
  }

  /** How much of a line longer than {@link RawLine#MAX_BYTES} is held before it is copied on. */
  private static final int LONG_LINE_CHUNK = 1 << 16;

  /** Moves what {@code line} holds, part of a line too long to hold, to {@code o}; returns its size. */
  private static int copy(ByteArrayOutputStream line, Out o, DataHash.Builder hash) throws IOException {
    byte[] part = line.toByteArray();
    line.reset();
    o.write(part, hash);
    return part.length;
  }

  /**
   * Ingests as {@link #run(List, String, String, Consumer)} and records a new run in the control
   * plane of {@code o} (embedded by default).
   */
  public static Result run(List<String> inputs, String root, String runId, Consumer<String> progress,
      ServingOptions o) throws IOException {
    DataLayout layout = DataLayout.at(root);
    resolve(inputs); // a missing input is one line before anything, a run record included, is written
    LayerDriver.prepareStorage(o, layout);
    if (RunPublisher.readManifest(layout.manifest(DataLayout.RAW, DataLayout.checkRunId(runId))) != null) {
      return run(inputs, root, runId, progress);
    }
    RunRecording rec = LayerDriver.recording(o, layout, DataLayout.RAW, runId, Map.of(), null);
    if (rec.controlPlane() == null && rec.pushgateway() == null) {
      return run(inputs, root, runId, progress);
    }
    rec.started();
    try {
      Result r = run(inputs, root, runId, progress);
      rec.recorder().published(r.manifest(), r.manifestPath());
      return r;
    } catch (IOException | RuntimeException e) {
      rec.crashed(e);
      throw e;
    } catch (Exception e) {
      rec.crashed(e);
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Ingests the files as a new Raw run (or finds them already there), without a control plane. */
  public static Result run(List<String> inputs, String root, String runId, Consumer<String> progress)
      throws IOException {
    DataLayout.checkRunId(runId);
    List<SourceFile> sources = resolve(inputs);
    DataLayout layout = DataLayout.at(root);
    String manifestPath = layout.manifest(DataLayout.RAW, runId);

    Manifest existing = RunPublisher.readManifest(manifestPath);
    if (existing != null) {
      // Only here do the sources need a pass of their own: to compare them with what is there.
      List<String> shas = new ArrayList<>();
      for (SourceFile s : sources) {
        shas.add(sha256(s.path()));
      }
      if (existing.fingerprint().equals(Manifest.fingerprint(parameters(sources, shas)))) {
        progress.accept("raw run " + runId + " already holds exactly these files: nothing to do");
        return new Result(existing, true, manifestPath);
      }
      throw new RunPublisher.RunExistsException("raw run_id " + runId + " already exists at "
          + layout.rawRun(runId) + " with other content; raw is immutable: use another --run-id");
    }

    String staging = layout.staging(DataLayout.RAW, runId);
    String runFolder = layout.relative(layout.rawRun(runId));
    LakehouseFiles.deleteTree(staging);
    Map<String, Out> outs = new LinkedHashMap<>();
    List<String> shas = new ArrayList<>();
    DataHash.Builder hash = DataHash.builder();
    long rows = 0;
    long blank = 0;
    long unknown = 0;
    try {
      for (int i = 0; i < sources.size(); i++) {
        SourceFile s = sources.get(i);
        // Named by position among the inputs: two sources with the same name stay apart.
        String stem = s.name().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        String fileName = stem + String.format("-%03d.jsonl", i + 1);
        long read = 0;
        long nextReport = PROGRESS_EVERY;
        MessageDigest sourceDigest = Sha256.digest();
        try (InputStream in = new BufferedInputStream(new java.security.DigestInputStream(
            Channels.newInputStream(FileSystems.open(LakehouseFiles.resource(s.path()))), sourceDigest), 1 << 16)) {
          ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
          Out longLine = null; // where the line being read goes, once it is longer than RawLine.MAX_BYTES
          int b;
          boolean more = true;
          while (more) {
            b = in.read();
            if (b != -1 && b != '\n') {
              line.write(b);
              if (line.size() > (longLine == null ? RawLine.MAX_BYTES : LONG_LINE_CHUNK)) {
                // No event is that long (Bronze quarantines the line): its day is not read, and it
                // streams to day=unknown instead of being held whole (a file that is one JSON array).
                if (longLine == null) {
                  longLine = open(outs, staging, runFolder + UNKNOWN_DAY + "/" + fileName);
                }
                read += copy(line, longLine, hash);
              }
              continue;
            }
            more = b != -1;
            if (longLine != null) {
              read += copy(line, longLine, hash) + (more ? 1 : 0);
              longLine.endLine(more, hash);
              rows++;
              unknown++;
              longLine = null;
              continue;
            }
            if (!more && line.size() == 0) {
              break; // the file ended with a newline
            }
            byte[] content = line.toByteArray();
            line.reset();
            read += content.length + (more ? 1 : 0);
            String partition = partitionOf(content, content.length);
            if (partition.equals(UNKNOWN_DAY)) {
              unknown++;
            }
            if (isBlank(content)) {
              blank++;
            }
            Out o = open(outs, staging, runFolder + partition + "/" + fileName);
            o.write(content, hash);
            o.endLine(more, hash);
            rows++;
            if (read >= nextReport) {
              progress.accept(String.format(java.util.Locale.ROOT, "ingest %s: %,d of %,d bytes (%.0f%%)",
                  s.name(), read, s.sizeBytes(), 100.0 * read / Math.max(1, s.sizeBytes())));
              nextReport += PROGRESS_EVERY;
            }
          }
        }
        shas.add(HexFormat.of().formatHex(sourceDigest.digest()));
        progress.accept(String.format(java.util.Locale.ROOT, "ingest %s: done, %,d bytes", s.name(), read));
      }
    } finally {
      for (Out o : outs.values()) {
        o.stream.close();
      }
    }

    List<Manifest.FileEntry> files = new ArrayList<>();
    for (Out o : outs.values()) {
      String partition = o.relative.substring(runFolder.length(), o.relative.lastIndexOf('/'));
      files.add(new Manifest.FileEntry(o.relative, partition, o.rows,
          o.bytes, HexFormat.of().formatHex(o.digest.digest())));
    }
    Map<String, Long> counts = new TreeMap<>();
    counts.put("lines", rows);
    counts.put("blank_lines", blank);
    counts.put("unknown_day_lines", unknown);
    counts.put("files", (long) files.size());
    counts.put("source_files", (long) sources.size());
    Manifest m = Manifest.of(DataLayout.RAW, runId, parameters(sources, shas), counts, files, hash.build());
    Manifest published = RunPublisher.publishImmutable(m, layout, layout.rawRun(runId));
    return new Result(published, false, manifestPath);
  }

  /** What an ingested run is: its source files by name, size and content. */
  private static Map<String, Object> parameters(List<SourceFile> sources, List<String> shas) {
    List<Map<String, Object>> described = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      Map<String, Object> d = new TreeMap<>();
      d.put("name", sources.get(i).name());
      d.put("size_bytes", sources.get(i).sizeBytes());
      d.put("sha256", shas.get(i));
      described.add(d);
    }
    Map<String, Object> parameters = new TreeMap<>();
    parameters.put("generator", "IngestRaw");
    parameters.put("sources", described);
    return parameters;
  }

  private static boolean isBlank(byte[] b) {
    for (byte x : b) {
      if (x != ' ' && x != '\t' && x != '\r') {
        return false;
      }
    }
    return true;
  }

  private static String sha256(String path) throws IOException {
    MessageDigest d = Sha256.digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Channels.newInputStream(FileSystems.open(LakehouseFiles.resource(path)))) {
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
