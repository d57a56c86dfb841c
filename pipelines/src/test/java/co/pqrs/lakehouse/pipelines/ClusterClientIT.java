package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI sending a layer to the real session cluster ({@code PQRS_FLINK_REST}, which {@code make test}
 * starts) and waiting for it as {@link ClusterJobWait} does: a finished job gives its manifest, and a
 * check that fails inside the job still reaches the user as the CLI's one line, as it does attached.
 */
class ClusterClientIT {
  private static String master() {
    String rest = System.getenv("PQRS_FLINK_REST");
    assertNotNull(rest, "PQRS_FLINK_REST names the cluster's REST address (make test sets it)");
    return rest.replaceFirst("^https?://", "").replaceFirst("/+$", "");
  }

  private static PqrsCliTest.Run bronzeOnTheCluster(Path dir, String root, String runId) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", "target/pqrs-lakehouse.jar", "bronze", "--run-id", runId, "--root", root,
        "--runner=FlinkRunner", "--flinkMaster=" + master(), "--parallelism=1")
        .redirectOutput(dir.resolve(runId + ".out").toFile()).redirectError(dir.resolve(runId + ".err").toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "bronze on the cluster did not finish");
    return new PqrsCliTest.Run(p.exitValue(), Files.readString(dir.resolve(runId + ".out")),
        Files.readString(dir.resolve(runId + ".err")));
  }

  @Test
  void aLayerOnTheClusterEndsWithItsManifestOrItsFailedCheckInOneLine(@TempDir Path dir) throws Exception {
    String root = dir.resolve("lake").toString();
    Path good = dir.resolve("good.jsonl");
    Files.writeString(good, BronzeCliTest.created("aaaaaaaa-0000-3000-8000-000000000001", "2025-01-02T08:00:00-05:00") + "\n");
    assertEquals(0, PqrsCliTest.pqrs("ingest", good.toString(), "--run-id", "good", "--root", root).code());
    PqrsCliTest.Run ok = bronzeOnTheCluster(dir, root, "good");
    assertEquals(0, ok.code(), ok::err);
    assertTrue(ok.out().contains("bronze run good SUCCESS"), ok::out);
    assertNotNull(RunPublisher.readManifest(DataLayout.at(root).manifest(DataLayout.BRONZE, "good")));

    // One line in two is not JSON: over the quarantine ratio's FAIL threshold (0.25).
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, BronzeCliTest.created("aaaaaaaa-0000-3000-8000-000000000002", "2025-01-02T08:00:00-05:00")
        + "\nnot json\n");
    assertEquals(0, PqrsCliTest.pqrs("ingest", bad.toString(), "--run-id", "bad", "--root", root).code());
    PqrsCliTest.Run r = bronzeOnTheCluster(dir, root, "bad");
    assertEquals(2, r.code(), r::err);
    List<String> notLogs = r.err().lines().filter(l -> !l.startsWith("[INFO] ")).toList();
    assertEquals(1, notLogs.size(), r::err);
    assertTrue(notLogs.get(0).startsWith("bronze: error: bronze run bad FAILED its checks, nothing published: "
        + "bronze.quarantine_ratio_fail"), r::err);
  }
}
