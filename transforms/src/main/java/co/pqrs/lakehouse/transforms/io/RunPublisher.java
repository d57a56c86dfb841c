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
