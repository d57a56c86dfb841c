package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SameCodeTest {
  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--blockOnRun=true").create());
  }

  @Test
  void workersWithThisCommandsCodeRunTheJob() {
    Pipeline p = pipeline();
    p.apply(SameCode.asThisJvm());
    p.run().waitUntilFinish();
  }

  @Test
  void workersWithOtherCodeFailTheJobSayingWhatToRestart() {
    Pipeline p = pipeline();
    p.apply(SameCode.as("0123456789ab".repeat(5) + "cdef"));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains("the cluster runs other pqrs code (" + SameCode.codeSha256().substring(0, 12))
        && message.contains("than this command (0123456789ab)") && message.contains("flink-up"), message);
    // What the command prints: the check's message from its start, wherever it is among the causes.
    String line = SameCode.otherCode(new RuntimeException("Pipeline execution failed", e));
    assertTrue(line.startsWith("the cluster runs other pqrs code (") && line.endsWith("PQRS_FLINK_APP_JAR=...)"), line);
    assertNull(SameCode.otherCode(new RuntimeException("Pipeline execution failed", new IllegalStateException("x"))));
  }

  /** A jar as a web submission uploads it, holding the given project entries. */
  private static Path jar(Path dir, Map<String, byte[]> entries) throws IOException {
    Path jar = dir.resolve("uploaded-" + entries.size() + ".jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return jar;
  }

  private static void checkUploadedAsMainOnAJobManager(Path jar) throws IOException {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try (URLClassLoader uploaded = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
      t.setContextClassLoader(uploaded);
      SameCode.checkUploaded();
    } finally {
      t.setContextClassLoader(before);
    }
  }

  @Test
  void anUploadedJarWithTheRunningCodeOrPartOfItPasses(@TempDir Path tmp) throws IOException {
    String name = SameCode.class.getName().replace('.', '/') + ".class";
    byte[] running;
    try (var in = SameCode.class.getClassLoader().getResourceAsStream(name)) {
      running = in.readAllBytes();
    }
    checkUploadedAsMainOnAJobManager(jar(tmp, Map.of(name, running, "org/other/Lib.class", new byte[] {1})));
  }

  @Test
  void anUploadedJarWithOtherCodeFailsBeforeTheJobIsSubmitted(@TempDir Path tmp) throws IOException {
    String name = SameCode.class.getName().replace('.', '/') + ".class";
    Path changed = jar(tmp, Map.of(name, new byte[] {(byte) 0xCA, (byte) 0xFE}));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> checkUploadedAsMainOnAJobManager(changed));
    assertTrue(e.getMessage().startsWith("the cluster runs other pqrs code (")
        && e.getMessage().contains(name + " differs"), e.getMessage());
    Path added = jar(tmp, Map.of(name.replace("SameCode", "NewInThisBuild"), new byte[] {1}, "a", new byte[0]));
    assertThrows(IllegalStateException.class, () -> checkUploadedAsMainOnAJobManager(added));
  }

  @Test
  void onlyJobsSentToAClusterAreChecked() {
    assertTrue(LayerDriver.onFlinkCluster(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--flinkMaster=localhost:8081").create()));
    assertTrue(!LayerDriver.onFlinkCluster(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--flinkMaster=[local]").create()));
    assertTrue(!LayerDriver.onFlinkCluster(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--flinkMaster=[auto]").create()));
    assertTrue(!LayerDriver.onFlinkCluster(PipelineOptionsFactory.create()));
  }
}
