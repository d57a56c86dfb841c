package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.cli.PqrsCli;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed and configuration give the same bytes in two separate JVMs, file by file, in every
 * layer. Within one JVM this held even when it did not across processes: Parquet footers listed
 * encodings in an order that depended on identity hash codes (see ParquetFooter).
 */
class CrossProcessDeterminismTest {
  @TempDir Path dir;

  private static void pqrsInItsOwnJvm(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PqrsCli.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "pqrs " + String.join(" ", args) + " did not finish");
    assertEquals(0, p.exitValue(), () -> "pqrs failed, see " + log + ":\n" + readTail(log));
  }

  private static String readTail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void twoProcessesWriteTheSameFiles() throws Exception {
    Path config = PqrsCliTest.writeSmallConfig(dir);
    List<DataLayout> lakes = new ArrayList<>();
    for (String name : List.of("one", "two")) {
      Path root = dir.resolve(name);
      pqrsInItsOwnJvm(dir.resolve(name + ".log"), "run", "--config", config.toString(), "--start", "2025-03-10",
          "--end", "2025-03-16", "--seed", "5", "--run-id", "same", "--root", root.toString());
      lakes.add(DataLayout.at(root.toString()));
    }
    for (String layer : List.of(DataLayout.RAW, DataLayout.BRONZE, DataLayout.SILVER, DataLayout.GOLD)) {
      Manifest a = RunPublisher.readManifest(lakes.get(0).manifest(layer, "same"));
      Manifest b = RunPublisher.readManifest(lakes.get(1).manifest(layer, "same"));
      assertTrue(a.files().size() > 0, layer + " wrote files");
      assertEquals(a.files(), b.files(), layer + ": every file's path, size and SHA-256");
      assertEquals(a.dataHash(), b.dataHash(), layer + " data hash");
    }
  }
}
