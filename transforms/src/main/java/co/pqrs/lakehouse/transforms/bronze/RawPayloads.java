package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Sha256;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Reads the lines of duplicates back from Raw, as their quarantine records' payloads. The parsed
 * events carry a digest of their line, not the line ({@link BronzeEvent}): Flink's batch runner
 * writes them once for each of their two readers, and only a duplicate's quarantine record ever
 * needs the line. Raw is immutable, so the line is still at the file and line number the reader
 * gave it. Each file is read once per call, whole, by the reader's line rule
 * ({@link ReadRawLines#scanLines}) and the parser's normalisation (no BOM, no CR); a line read back
 * must have the digest its parse had, or the run stops naming the file and line: the file changed
 * while Bronze ran, and the Raw run is damaged ({@link RunPublisher.RunDamagedException}, which the
 * CLI reports in one line).
 */
final class RawPayloads {
  private RawPayloads() {}

  /**
   * {@code failures} with the payload of each one whose payload is in Raw ({@link Failure#payloadInRaw})
   * read from the file it names (relative to {@code layout}'s root, as the reader named it); the others
   * as they are, in the same order.
   */
  static List<Failure> filled(List<Failure> failures, DataLayout layout) throws IOException {
    // file -> line -> the indexes of its failures (a line is quarantined once, but nothing here relies on it)
    Map<String, TreeMap<Long, List<Integer>>> wanted = new TreeMap<>();
    for (int i = 0; i < failures.size(); i++) {
      Failure f = failures.get(i);
      if (f.payloadInRaw()) {
        wanted.computeIfAbsent(f.sourceFile(), k -> new TreeMap<>())
            .computeIfAbsent(f.sourceLine(), k -> new ArrayList<>()).add(i);
      }
    }
    if (wanted.isEmpty()) {
      return failures;
    }
    List<Failure> out = new ArrayList<>(failures);
    MessageDigest sha256 = Sha256.digest();
    for (Map.Entry<String, TreeMap<Long, List<Integer>>> file : wanted.entrySet()) {
      String name = file.getKey();
      TreeMap<Long, List<Integer>> lines = file.getValue();
      long[] n = {0};
      try (InputStream in = open(layout.resolve(name), name)) {
        ReadRawLines.scanLines(in, (b, from, to, length) -> {
          List<Integer> at = lines.get(++n[0]);
          if (at == null) {
            return;
          }
          int start = RawLine.contentStart(b, from, to);
          int end = RawLine.contentEnd(b, start, to);
          sha256.update(b, start, end - start);
          byte[] digest = sha256.digest();
          for (int i : at) {
            Failure f = out.get(i);
            if (length != to - from || !MessageDigest.isEqual(digest, f.lineSha256())) {
              throw new RunPublisher.RunDamagedException("Raw line " + name + ":" + n[0] + " is not the line Bronze parsed"
                  + " there (SHA-256 " + HexFormat.of().formatHex(f.lineSha256()) + "): the file changed while"
                  + " Bronze ran; Raw files are immutable, so run Bronze again once it is written");
            }
            out.set(i, f.withPayload(new String(b, start, end - start, StandardCharsets.UTF_8)));
          }
        });
      }
      if (lines.lastKey() > n[0]) {
        throw new RunPublisher.RunDamagedException("Raw file " + name + " has " + n[0] + " lines, but Bronze parsed line "
            + lines.lastKey() + " of it: the file changed while Bronze ran; Raw files are immutable, so run"
            + " Bronze again once it is written");
      }
    }
    return out;
  }

  private static InputStream open(String path, String name) throws IOException {
    try {
      return Channels.newInputStream(FileSystems.open(LakehouseFiles.resource(path)));
    } catch (java.io.FileNotFoundException e) {
      // The one line says it all; the store's own message adds nothing a user acts on.
      throw new RunPublisher.RunDamagedException("Raw file " + name + " is gone, though Bronze parsed lines of it: Raw files"
          + " are immutable, so run Bronze again once it is back");
    }
  }
}
