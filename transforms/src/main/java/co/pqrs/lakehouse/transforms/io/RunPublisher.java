package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run that was written under a staging folder: files move to the run folder and the
 * manifest is written last, so a manifest means a complete run. For an immutable layer (Raw) an
 * existing run with other content is refused; an identical one makes the publish a no-op.
 */
public final class RunPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(RunPublisher.class);

  private RunPublisher() {}

  /** An immutable run already exists with different content. */
  public static final class RunExistsException extends RuntimeException {
    public RunExistsException(String message) {
      super(message);
    }
  }

  /** A published run is missing files its manifest lists. */
  public static final class RunDamagedException extends RuntimeException {
    public RunDamagedException(String message) {
      super(message);
    }
  }

  /** A layer's checks failed: nothing was published. */
  public static final class QualityFailedException extends RuntimeException {
    public QualityFailedException(String message) {
      super(message);
    }
  }

  /** Where the manifest of a refused (FAILED) attempt is kept for inspection. */
  public static String failedPath(DataLayout layout, Manifest m) {
    String ok = layout.manifest(m.layer(), m.runId());
    return ok.substring(0, ok.lastIndexOf('/') + 1) + "failed-manifest.json";
  }

  /** Records a FAILED attempt next to the run's manifest and drops its staged files. */
  public static void refuse(Manifest failed, DataLayout layout) throws IOException {
    LakehouseFiles.write(failedPath(layout, failed), failed.toJson(), "application/json");
    LakehouseFiles.deleteTree(layout.staging(failed.layer(), failed.runId()));
  }

  /**
   * Publishes a run that replaces any earlier one of the same run id: the old manifest goes first (a
   * run folder without a manifest is incomplete), then the old outputs, then the new files move in
   * and the new manifest seals them.
   */
  public static Manifest publishReplacing(Manifest manifest, DataLayout layout, List<String> outputFolders)
      throws IOException {
    String manifestPath = layout.manifest(manifest.layer(), manifest.runId());
    if (LakehouseFiles.exists(manifestPath)) {
      FileSystemsDelete.delete(manifestPath);
    }
    String failed = failedPath(layout, manifest);
    if (LakehouseFiles.exists(failed)) {
      FileSystemsDelete.delete(failed);
    }
    for (String folder : outputFolders) {
      int n = LakehouseFiles.deleteTree(folder);
      if (n > 0) {
        LOG.info("replaced {} files of an earlier {} run {} under {}", n, manifest.layer(), manifest.runId(), folder);
      }
    }
    moveAndSeal(manifest, layout);
    return manifest;
  }

  /** Deletes one file. */
  private static final class FileSystemsDelete {
    static void delete(String path) throws IOException {
      org.apache.beam.sdk.io.FileSystems.delete(List.of(LakehouseFiles.resource(path)),
          org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  public static Manifest readManifest(String path) throws IOException {
    return LakehouseFiles.exists(path) ? Manifest.fromJson(LakehouseFiles.read(path)) : null;
  }

  /** Whether two manifests describe the same files with the same bytes. */
  public static boolean sameContent(Manifest a, Manifest b) {
    return a.dataHash().equals(b.dataHash()) && a.files().equals(b.files());
  }

  /**
   * @param runFolder the absolute folder the run's files go to; anything there without a manifest is
   *     a leftover of an interrupted publish
   */
  public static Manifest publishImmutable(Manifest manifest, DataLayout layout, String runFolder)
      throws IOException {
    String stagingFolder = layout.staging(manifest.layer(), manifest.runId());
    String manifestPath = layout.manifest(manifest.layer(), manifest.runId());
    Manifest existing = readManifest(manifestPath);
    if (existing != null) {
      LakehouseFiles.deleteTree(stagingFolder);
      if (sameContent(existing, manifest)) {
        LOG.info("run {} of layer {} already exists with identical content: nothing published",
            manifest.runId(), manifest.layer());
        return existing;
      }
      throw new RunExistsException(manifest.layer() + " run_id " + manifest.runId()
          + " already exists with different content (data hash " + existing.dataHash() + " vs "
          + manifest.dataHash() + "); " + manifest.layer() + " is immutable: use another --run-id");
    }
    // No manifest: anything in the run folder is a leftover of an interrupted publish.
    int leftovers = LakehouseFiles.deleteTree(runFolder);
    if (leftovers > 0) {
      LOG.warn("removed {} files of an interrupted publish under {}", leftovers, runFolder);
    }
    moveAndSeal(manifest, layout);
    return manifest;
  }

  /** Moves every file of the manifest from staging into place, then writes the manifest. */
  static void moveAndSeal(Manifest manifest, DataLayout layout) throws IOException {
    String stagingFolder = layout.staging(manifest.layer(), manifest.runId());
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    for (Manifest.FileEntry f : manifest.files()) {
      from.add(stagingFolder + f.path());
      to.add(layout.resolve(f.path()));
    }
    LakehouseFiles.move(from, to);
    LakehouseFiles.write(layout.manifest(manifest.layer(), manifest.runId()), manifest.toJson(), "application/json");
    LakehouseFiles.deleteTree(stagingFolder);
  }
}
