package co.pqrs.lakehouse.transforms.io;

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

  public static Manifest publishImmutable(
      Manifest manifest, String stagingFolder, String runFolder, String manifestPath) throws IOException {
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
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    for (Manifest.FileEntry f : manifest.files()) {
      from.add(stagingFolder + f.path());
      to.add(runFolder + f.path());
    }
    LakehouseFiles.move(from, to);
    LakehouseFiles.write(manifestPath, manifest.toJson(), "application/json");
    LakehouseFiles.deleteTree(stagingFolder);
    return manifest;
  }
}
