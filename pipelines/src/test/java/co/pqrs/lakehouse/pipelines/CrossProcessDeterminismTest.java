package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed and configuration give the same bytes in two separate JVMs, file by file, in every
 * layer. Within one JVM this held even when it did not across processes: Parquet footers listed
 * encodings in an order that depended on identity hash codes (see ParquetFooter).
 */
class CrossProcessDeterminismTest {
  @TempDir Path dir;

  @Test
  void twoProcessesWriteTheSameFiles() throws Exception {
    Path config = PqrsCliTest.writeSmallConfig(dir);
    List<DataLayout> lakes = new ArrayList<>();
    for (String name : List.of("one", "two")) {
      Path root = dir.resolve(name);
      SmallHeapTest.Result r = SmallHeapTest.inItsOwnJvm(dir, List.of(), "run", "--config", config.toString(),
          "--start", "2025-03-10", "--end", "2025-03-16", "--seed", "5", "--run-id", "same", "--root", root.toString());
      assertEquals(0, r.code(), r::err);
      lakes.add(DataLayout.at(root.toString()));
    }
    for (String layer : DataLayout.CHAIN) {
      Manifest a = RunPublisher.readManifest(lakes.get(0).manifest(layer, "same"));
      Manifest b = RunPublisher.readManifest(lakes.get(1).manifest(layer, "same"));
      assertTrue(a.files().size() > 0, layer + " wrote files");
      assertEquals(a.files(), b.files(), layer + ": every file's path, size and SHA-256");
      assertEquals(a.dataHash(), b.dataHash(), layer + " data hash");
    }
  }
}
