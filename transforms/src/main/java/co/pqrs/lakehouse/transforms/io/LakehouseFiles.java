package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.layout.DataLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Small file operations on a lakehouse root through Beam's FileSystems, so the same code serves a
 * local folder and an object store. Paths are absolute strings as {@code DataLayout} builds them.
 */
public final class LakehouseFiles {
  private LakehouseFiles() {}

  public static ResourceId resource(String path) {
    return FileSystems.matchNewResource(path, path.endsWith("/"));
  }

  public static boolean exists(String path) {
    try {
      MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** Every file below a folder (recursively), sorted by path. */
  public static List<MatchResult.Metadata> list(String folder) throws IOException {
    String glob = (folder.endsWith("/") ? folder : folder + "/") + "**";
    MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    List<MatchResult.Metadata> out = new ArrayList<>(m.metadata());
    out.sort(Comparator.comparing(x -> x.resourceId().toString()));
    return out;
  }

  public static byte[] read(String path) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource(path)))) {
      return in.readAllBytes();
    }
  }

  public static void write(String path, byte[] bytes, String mimeType) throws IOException {
    try (WritableByteChannel ch = create(path, mimeType)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
    }
  }

  public static WritableByteChannel create(String path, String mimeType) throws IOException {
    return FileSystems.create(resource(path),
        CreateOptions.StandardCreateOptions.builder().setMimeType(mimeType).build());
  }

  public static OutputStream createStream(String path, String mimeType) throws IOException {
    return Channels.newOutputStream(create(path, mimeType));
  }

  /** Deletes every file below a folder; on a local disk also the emptied folders. */
  public static int deleteTree(String folder) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    for (MatchResult.Metadata m : list(folder)) {
      ids.add(m.resourceId());
    }
    FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    removeEmptyLocalDirs(folder);
    return ids.size();
  }

  /** Moves files; parents are created as needed. */
  public static void move(List<String> from, List<String> to) throws IOException {
    List<ResourceId> src = new ArrayList<>();
    List<ResourceId> dst = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      src.add(resource(from.get(i)));
      dst.add(resource(to.get(i)));
      Path local = localPath(to.get(i));
      if (local != null) {
        Files.createDirectories(local.getParent());
      }
    }
    FileSystems.rename(src, dst);
  }

  private static Path localPath(String path) {
    if (DataLayout.isUri(path) && !path.startsWith("file://")) {
      return null;
    }
    return Path.of(path.replaceFirst("^file://", ""));
  }

  /** Object stores have no folders; a local disk keeps them, so empty ones are removed. */
  public static void removeEmptyLocalDirs(String folder) throws IOException {
    Path p = localPath(folder);
    if (p == null || !Files.isDirectory(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      List<Path> dirs = s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
      for (Path d : dirs) {
        try (Stream<Path> c = Files.list(d)) {
          if (c.findAny().isEmpty()) {
            Files.delete(d);
          }
        }
      }
    }
  }
}
